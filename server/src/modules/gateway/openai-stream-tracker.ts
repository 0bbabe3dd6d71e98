/** Usage as OpenAI reports it, read from an answer or a stream's last chunk. */
export interface ReportedUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function usageOf(body: unknown): ReportedUsage | null {
  if (!isRecord(body) || !isRecord(body.usage)) return null;
  const usage = body.usage;
  const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  return {
    inputTokens: Number(usage.prompt_tokens ?? 0) || 0,
    outputTokens: Number(usage.completion_tokens ?? 0) || 0,
    cachedInputTokens: Number(details.cached_tokens ?? 0) || 0,
  };
}

/** The generated text of a chat or completion answer, or of one chunk of its stream. */
export function generatedText(body: unknown): string {
  if (!isRecord(body) || !Array.isArray(body.choices)) return '';
  let text = '';
  for (const choice of body.choices) {
    if (!isRecord(choice)) continue;
    if (typeof choice.text === 'string') text += choice.text;
    const part = isRecord(choice.delta) ? choice.delta : isRecord(choice.message) ? choice.message : null;
    if (part && typeof part.content === 'string') text += part.content;
  }
  return text;
}

/**
 * Watches an OpenAI SSE stream event by event as it is relayed: collects the text and the usage chunk. When the
 * gateway asked for usage on the caller's behalf, the usage-only chunk is held back, so the caller gets exactly the
 * stream it asked for. Events are relayed whole, never re-encoded.
 */
export class OpenAiStreamTracker {
  usage: ReportedUsage | null = null;
  text = '';
  done = false;
  private buffer = '';

  constructor(private readonly forwardUsageChunk: boolean) {}

  /** The bytes to send on for this piece of the stream: every complete event, less a usage chunk held back. */
  push(chunk: string): string {
    this.buffer += chunk;
    let output = '';
    let start = 0;
    let boundary = this.buffer.indexOf('\n\n', start);
    while (boundary !== -1) {
      const event = this.buffer.slice(start, boundary + 2);
      start = boundary + 2;
      if (this.inspect(event)) output += event;
      boundary = this.buffer.indexOf('\n\n', start);
    }
    this.buffer = this.buffer.slice(start);
    return output;
  }

  /** Whatever is left when the stream ends (an upstream that does not end its last event). */
  rest(): string {
    const rest = this.buffer;
    this.buffer = '';
    return rest;
  }

  /** Reads one event; false when it is the usage chunk to hold back. */
  private inspect(event: string): boolean {
    const data = event.startsWith('data: ') ? event.slice(6).trimEnd() : event.trim().replace(/^data:\s*/, '');
    if (data === '[DONE]') {
      this.done = true;
      return true;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return true;
    }
    this.text += generatedText(parsed);
    const usage = usageOf(parsed);
    if (usage) {
      this.usage = usage;
      const choices = (parsed as Json).choices;
      if (!this.forwardUsageChunk && Array.isArray(choices) && choices.length === 0) return false;
    }
    return true;
  }
}
