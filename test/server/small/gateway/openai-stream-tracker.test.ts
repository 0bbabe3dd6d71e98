import { describe, expect, it } from 'vitest';
import { OpenAiStreamTracker } from '../../../../server/src/modules/gateway/openai-stream-tracker';

/*
 * The relay's view of an OpenAI stream, on the events vLLM and OpenAI send: every event goes on unchanged, the
 * usage-only chunk the gateway asked for on the caller's behalf is held back, and the text and usage are read in
 * order, whether an event arrives whole, split across reads, or carries usage beside content.
 */
const event = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;
const content = (text: string) => event({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
const usageOnly = event({ id: 'c1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } });
const done = 'data: [DONE]\n\n';

describe('OpenAiStreamTracker', () => {
  it('holds back the usage-only chunk it asked for, relays the rest unchanged, and reads text and usage', () => {
    const tracker = new OpenAiStreamTracker(false);
    const relayed = tracker.push(content('Hello') + content(' there') + usageOnly + done);
    expect(relayed).toBe(content('Hello') + content(' there') + done);
    expect(tracker.done).toBe(true);
    expect(tracker.text).toBe('Hello there');
    expect(tracker.usage).toEqual({ inputTokens: 12, outputTokens: 3, cachedInputTokens: 0 });
  });

  it('relays the usage chunk when the caller asked for it', () => {
    const tracker = new OpenAiStreamTracker(true);
    expect(tracker.push(content('Hi') + usageOnly + done)).toBe(content('Hi') + usageOnly + done);
    expect(tracker.usage?.outputTokens).toBe(3);
  });

  it('keeps the text in order when usage comes inside a content chunk, and events split across reads', () => {
    const tracker = new OpenAiStreamTracker(false);
    const withUsage = event({ choices: [{ index: 0, delta: { content: ' world' } }], usage: { prompt_tokens: 1, completion_tokens: 2 } });
    const stream = content('Hello') + withUsage + content('!') + done;
    let relayed = '';
    for (let start = 0; start < stream.length; start += 7) relayed += tracker.push(stream.slice(start, start + 7));
    // Usage beside content is not the usage-only chunk: it goes on.
    expect(relayed).toBe(stream);
    expect(tracker.text).toBe('Hello world!');
    expect(tracker.usage).toEqual({ inputTokens: 1, outputTokens: 2, cachedInputTokens: 0 });
  });

  it('is not done without [DONE], and hands back an unfinished last event', () => {
    const tracker = new OpenAiStreamTracker(false);
    expect(tracker.push(`${content('cut')}data: {"choi`)).toBe(content('cut'));
    expect(tracker.done).toBe(false);
    expect(tracker.rest()).toBe('data: {"choi');
    expect(tracker.text).toBe('cut');
  });
});
