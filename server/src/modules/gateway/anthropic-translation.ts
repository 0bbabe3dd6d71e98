/**
 * Chat completions to and from Anthropic's Messages API, for `anthropic` nodes: the caller speaks OpenAI's protocol
 * only, requests and answers (streamed too) are translated here.
 */

type Json = Record<string, unknown>;

/** Anthropic needs max_tokens; a request that sets none gets this many. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  return '';
}

/** OpenAI chat request → Messages request: system messages become `system`, the rest keep their order. */
export function toAnthropicRequest(body: Json, maxOutputTokens: number | undefined, stream: boolean): Json {
  const messages = (body.messages as unknown[]).filter(isRecord);
  const system = messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => textOf(message.content));
  const request: Json = {
    model: body.model,
    max_tokens: maxOutputTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: messages
      .filter((message) => message.role !== 'system' && message.role !== 'developer')
      .map((message) => ({ role: message.role === 'assistant' ? 'assistant' : 'user', content: textOf(message.content) })),
  };
  if (system.length > 0) request.system = system.join('\n\n');
  if (typeof body.temperature === 'number') request.temperature = Math.min(1, body.temperature);
  if (typeof body.top_p === 'number') request.top_p = body.top_p;
  if (typeof body.stop === 'string') request.stop_sequences = [body.stop];
  else if (Array.isArray(body.stop)) request.stop_sequences = body.stop;
  if (stream) request.stream = true;
  return request;
}

export function finishReasonOf(stopReason: unknown): string {
  if (stopReason === 'max_tokens') return 'length';
  if (stopReason === 'tool_use') return 'tool_calls';
  return 'stop';
}

export interface AnthropicUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Messages answer → chat.completion. */
export function fromAnthropicMessage(message: Json, model: string, created: number): { body: Json; text: string; usage: AnthropicUsage | null } {
  const text = Array.isArray(message.content) ? message.content.map((block) => (isRecord(block) && block.type === 'text' ? String(block.text ?? '') : '')).join('') : '';
  const usage = isRecord(message.usage) ? { inputTokens: Number(message.usage.input_tokens ?? 0), outputTokens: Number(message.usage.output_tokens ?? 0) } : null;
  return {
    text,
    usage,
    body: {
      id: typeof message.id === 'string' ? message.id : `chatcmpl-${created}`,
      object: 'chat.completion',
      created,
      model: typeof message.model === 'string' ? message.model : model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: finishReasonOf(message.stop_reason) }],
      ...(usage ? { usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens } } : {}),
    },
  };
}

/** Anthropic's error body → OpenAI's. */
export function fromAnthropicError(body: unknown, status: number): { message: string; type: string } {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  return { message: typeof error.message === 'string' ? error.message : `The node answered ${status}`, type: typeof error.type === 'string' ? error.type : 'api_error' };
}

/**
 * Messages SSE events → chat.completion.chunk SSE events, one event at a time. Usage is kept for settling and, when
 * the caller asked (include_usage), sent as OpenAI's last chunk before `[DONE]`.
 */
export class AnthropicStreamTranslator {
  usage: AnthropicUsage = { inputTokens: 0, outputTokens: 0 };
  sawUsage = false;
  text = '';
  finished = false;
  private id: string;
  private buffer = '';

  constructor(
    private readonly model: string,
    private readonly created: number,
    private readonly includeUsage: boolean,
  ) {
    this.id = `chatcmpl-${created}`;
  }

  /** The OpenAI SSE text for these bytes (complete events only; the rest waits for the next bytes). */
  push(chunk: string): string {
    this.buffer += chunk;
    let output = '';
    let boundary = this.buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const event = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      output += this.translate(event);
      boundary = this.buffer.indexOf('\n\n');
    }
    return output;
  }

  private chunk(delta: Json, finishReason: string | null): string {
    const body = { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
    return `data: ${JSON.stringify(body)}\n\n`;
  }

  private translate(event: string): string {
    const dataLine = event.split('\n').find((line) => line.startsWith('data:'));
    if (!dataLine) return '';
    let data: Json;
    try {
      const parsed: unknown = JSON.parse(dataLine.slice(5).trim());
      if (!isRecord(parsed)) return '';
      data = parsed;
    } catch {
      return '';
    }
    switch (data.type) {
      case 'message_start': {
        const message = isRecord(data.message) ? data.message : {};
        if (typeof message.id === 'string') this.id = message.id;
        if (isRecord(message.usage)) {
          this.sawUsage = true;
          this.usage.inputTokens = Number(message.usage.input_tokens ?? 0);
          this.usage.outputTokens = Number(message.usage.output_tokens ?? 0);
        }
        return this.chunk({ role: 'assistant', content: '' }, null);
      }
      case 'content_block_delta': {
        const delta = isRecord(data.delta) ? data.delta : {};
        if (delta.type !== 'text_delta' || typeof delta.text !== 'string') return '';
        this.text += delta.text;
        return this.chunk({ content: delta.text }, null);
      }
      case 'message_delta': {
        if (isRecord(data.usage)) {
          this.sawUsage = true;
          this.usage.outputTokens = Number(data.usage.output_tokens ?? this.usage.outputTokens);
        }
        const delta = isRecord(data.delta) ? data.delta : {};
        return this.chunk({}, finishReasonOf(delta.stop_reason));
      }
      case 'message_stop': {
        this.finished = true;
        let output = '';
        if (this.includeUsage) {
          const usage = { prompt_tokens: this.usage.inputTokens, completion_tokens: this.usage.outputTokens, total_tokens: this.usage.inputTokens + this.usage.outputTokens };
          output += `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage })}\n\n`;
        }
        return `${output}data: [DONE]\n\n`;
      }
      case 'error': {
        this.finished = true;
        const error = fromAnthropicError(data, 500);
        return `data: ${JSON.stringify({ error: { message: error.message, type: error.type, param: null, code: null } })}\n\n`;
      }
      default:
        return '';
    }
  }
}
