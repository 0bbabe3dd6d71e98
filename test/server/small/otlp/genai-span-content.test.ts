import { describe, expect, it } from 'vitest';
import { decodeOtlpTraceJson } from '../../../../server/src/modules/ingest/otlp/decode-otlp-json';
import { extractSpanContent } from '../../../../server/src/modules/ingest/otlp/genai-span-content';
import { jsonRequest, jsonSpan, type SpanOptions } from './otlp-test-support';

function content(options: SpanOptions): { prompt: string; completion: string } {
  const span = decodeOtlpTraceJson(JSON.stringify(jsonRequest([jsonSpan(options)]))).resourceSpans[0].scopeSpans[0].spans[0];
  return extractSpanContent(span);
}

describe('extractSpanContent', () => {
  it('reads gen_ai.input/output.messages sent as JSON text, system instructions first', () => {
    expect(
      content({
        attributes: {
          'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Answer in French.' }]),
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] }]),
          'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'reasoning', content: 'easy' }, { type: 'text', content: 'Paris.' }], finish_reason: 'stop' }]),
        },
      }),
    ).toEqual({ prompt: 'system: Answer in French.\n\nuser: Capital of France?', completion: 'Paris.' });
  });

  it('reads the same messages sent structured (arrays of key-value lists)', () => {
    expect(
      content({
        attributes: {
          'gen_ai.input.messages': [
            { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
            { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
            { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'rainy, 57°F' }] },
          ],
          'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: 'Rainy.' }, { type: 'uri', modality: 'image', uri: 'https://x/y.png' }] }],
        },
      }),
    ).toEqual({
      prompt: 'user: Weather in Paris?\n\nassistant: [tool call get_weather({"city":"Paris"})]\n\ntool: [tool result call_1: rainy, 57°F]',
      completion: 'Rainy.\n[image https://x/y.png]',
    });
  });

  it('reads the gen_ai.client.inference.operation.details event', () => {
    expect(
      content({
        events: [{
          name: 'gen_ai.client.inference.operation.details',
          attributes: {
            'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
            'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: 'Hello!' }] }],
          },
        }],
      }),
    ).toEqual({ prompt: 'Hi', completion: 'Hello!' });
  });

  it('reads the legacy indexed attributes in index order, tool calls included', () => {
    expect(
      content({
        attributes: {
          'gen_ai.prompt.1.role': 'user',
          'gen_ai.prompt.1.content': 'Where is order A-1?',
          'gen_ai.prompt.0.role': 'system',
          'gen_ai.prompt.0.content': 'Be brief.',
          'gen_ai.completion.0.role': 'assistant',
          'gen_ai.completion.0.finish_reason': 'tool_calls',
          'gen_ai.completion.0.tool_calls.0.name': 'lookup_order',
          'gen_ai.completion.0.tool_calls.0.arguments': '{"order_id": "A-1"}',
        },
      }),
    ).toEqual({ prompt: 'system: Be brief.\n\nuser: Where is order A-1?', completion: '[tool call lookup_order({"order_id": "A-1"})]' });
  });

  it('reads the deprecated gen_ai.prompt / gen_ai.completion, as attributes or as content events', () => {
    expect(content({ attributes: { 'gen_ai.prompt': '[{"role": "user", "content": "What is 2+2?"}]', 'gen_ai.completion': 'Four.' } })).toEqual({ prompt: 'What is 2+2?', completion: 'Four.' });
    expect(
      content({
        events: [
          { name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': '[{"role": "system", "content": "S"}, {"role": "user", "content": [{"type": "text", "text": "U"}]}]' } },
          { name: 'gen_ai.content.completion', attributes: { 'gen_ai.completion': '[{"role": "assistant", "content": "A"}]' } },
        ],
      }),
    ).toEqual({ prompt: 'system: S\n\nuser: U', completion: 'A' });
  });

  it('reads the per-message events and gen_ai.choice', () => {
    expect(
      content({
        events: [
          { name: 'gen_ai.system.message', attributes: { content: 'Be nice.' } },
          { name: 'gen_ai.user.message', attributes: { content: 'Hi there' } },
          { name: 'gen_ai.choice', attributes: { index: 0, finish_reason: 'stop', message: { content: 'Hello!' } } },
        ],
      }),
    ).toEqual({ prompt: 'system: Be nice.\n\nuser: Hi there', completion: 'Hello!' });
  });

  it('answers empty text when the span records no content, and cuts content at the ingest limit', () => {
    expect(content({})).toEqual({ prompt: '', completion: '' });
    const long = content({ attributes: { 'gen_ai.completion': 'x'.repeat(1_200_000) } }).completion;
    expect(long).toHaveLength(1_000_000);
    expect(long.endsWith('… [truncated by Warden]')).toBe(true);
  });
});
