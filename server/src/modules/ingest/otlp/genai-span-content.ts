import { readString, toPlainValue } from './otlp-attribute-values';
import type { OtlpAttributes, OtlpSpan } from './otlp-trace-request';

/** One message of a conversation, its parts already rendered as text. */
interface RenderedMessage {
  role: string;
  text: string;
}

const maxContentLength = 1_000_000;
const truncationMark = '\n… [truncated by Warden]';
const legacyIndexedPattern = /^gen_ai\.(prompt|completion)\.(\d+)\.(.+)$/;
const detailsEventName = 'gen_ai.client.inference.operation.details';
const promptMessageEvents = new Set(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message']);

/**
 * The prompt and completion a GenAI span carries, as readable text: one message as its text alone, several as
 * "role: text" blocks. Read from, in order: the current attributes (`gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.system_instructions`, structured or as JSON text), the
 * `gen_ai.client.inference.operation.details` event, the legacy indexed attributes (`gen_ai.prompt.0.role`,
 * `gen_ai.prompt.0.content`, … as OpenLLMetry writes them), the deprecated `gen_ai.prompt` / `gen_ai.completion`
 * attributes and their `gen_ai.content.prompt` / `gen_ai.content.completion` events, and the per-message events
 * (`gen_ai.user.message`, `gen_ai.choice`, …). Each is cut at the ingest limit of 1,000,000 characters.
 */
export function extractSpanContent(span: OtlpSpan): { prompt: string; completion: string } {
  const { attributes } = span;
  const details = span.events.find((event) => event.name === detailsEventName)?.attributes;
  let prompt = messagesFromAttributes(attributes, 'gen_ai.input.messages', 'gen_ai.system_instructions');
  if (prompt.length === 0 && details) prompt = messagesFromAttributes(details, 'gen_ai.input.messages', 'gen_ai.system_instructions');
  let completion = messagesFromAttributes(attributes, 'gen_ai.output.messages', null);
  if (completion.length === 0 && details) completion = messagesFromAttributes(details, 'gen_ai.output.messages', null);

  if (prompt.length === 0 || completion.length === 0) {
    const legacy = legacyIndexedMessages(attributes);
    if (prompt.length === 0) prompt = legacy.prompt;
    if (completion.length === 0) completion = legacy.completion;
  }
  if (prompt.length === 0) prompt = messagesFromLooseText(readString(attributes, 'gen_ai.prompt') || eventText(span, 'gen_ai.content.prompt', 'gen_ai.prompt'));
  if (completion.length === 0) {
    completion = messagesFromLooseText(readString(attributes, 'gen_ai.completion') || eventText(span, 'gen_ai.content.completion', 'gen_ai.completion'));
  }
  if (prompt.length === 0) prompt = messagesFromEvents(span);
  if (completion.length === 0) completion = choicesFromEvents(span);
  return { prompt: render(prompt), completion: render(completion) };
}

function render(messages: RenderedMessage[]): string {
  const nonEmpty = messages.filter((message) => message.text !== '');
  const text = nonEmpty.length === 1 ? nonEmpty[0].text : nonEmpty.map((message) => `${message.role || 'unknown'}: ${message.text}`).join('\n\n');
  return text.length > maxContentLength ? text.slice(0, maxContentLength - truncationMark.length) + truncationMark : text;
}

function messagesFromAttributes(attributes: OtlpAttributes, messagesKey: string, instructionsKey: string | null): RenderedMessage[] {
  const messages: RenderedMessage[] = [];
  if (instructionsKey !== null && attributes.has(instructionsKey)) {
    // System instructions are a list of parts (or one text) kept apart from the chat history.
    const instructions = parseIfJson(toPlainValue(attributes.get(instructionsKey)));
    const text = Array.isArray(instructions) ? renderParts(instructions) : renderContent(instructions);
    if (text) messages.push({ role: 'system', text });
  }
  if (attributes.has(messagesKey)) {
    const list = parseIfJson(toPlainValue(attributes.get(messagesKey)));
    if (Array.isArray(list)) for (const item of list) messages.push(renderMessage(item));
    else if (typeof list === 'string' && list !== '') messages.push({ role: '', text: list });
  }
  return messages;
}

/** A message in any of the shapes in use: semconv `{role, parts}`, OpenAI-style `{role, content, tool_calls}`. */
function renderMessage(item: unknown): RenderedMessage {
  if (typeof item === 'string') return { role: '', text: item };
  if (!isRecord(item)) return { role: '', text: '' };
  const role = typeof item.role === 'string' ? item.role : '';
  const pieces: string[] = [];
  if (Array.isArray(item.parts)) pieces.push(renderParts(item.parts));
  if (item.content !== undefined && item.content !== null) pieces.push(renderContent(item.content));
  if (Array.isArray(item.tool_calls)) pieces.push(...item.tool_calls.map(renderToolCall));
  return { role, text: pieces.filter((piece) => piece !== '').join('\n') };
}

function renderParts(parts: unknown[]): string {
  return parts.map(renderPart).filter((piece) => piece !== '').join('\n');
}

function renderPart(part: unknown): string {
  if (typeof part === 'string') return part;
  if (!isRecord(part)) return '';
  switch (part.type) {
    case 'text':
      return typeof part.content === 'string' ? part.content : typeof part.text === 'string' ? part.text : '';
    case 'tool_call':
      return renderToolCall(part);
    case 'tool_call_response':
      return `[tool result${typeof part.id === 'string' ? ` ${part.id}` : ''}: ${asText(part.response ?? part.result)}]`;
    case 'reasoning':
      // The model's thinking is not its answer; it is left out of what reviewers and evaluators read.
      return '';
    case 'blob':
    case 'file':
    case 'uri': {
      // Attached media: named, never copied (a base64 image would fill the content column).
      const what = typeof part.modality === 'string' ? part.modality : part.type;
      const where = typeof part.uri === 'string' ? ` ${part.uri}` : typeof part.file_id === 'string' ? ` ${part.file_id}` : '';
      return `[${what}${typeof part.mime_type === 'string' ? ` ${part.mime_type}` : ''}${where}]`;
    }
    default:
      if (typeof part.content === 'string') return part.content;
      if (typeof part.text === 'string') return part.text;
      return typeof part.type === 'string' ? `[${part.type}]` : '';
  }
}

function renderToolCall(call: unknown): string {
  if (!isRecord(call)) return '';
  const target = isRecord(call.function) ? call.function : call;
  const name = typeof target.name === 'string' ? target.name : 'tool';
  return `[tool call ${name}(${asText(target.arguments ?? '')})]`;
}

/** Content as OpenAI-style APIs send it: a string, or a list of parts ({type: 'text', text}). */
function renderContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return renderParts(content);
  if (isRecord(content)) return renderPart(content);
  return content === null || content === undefined ? '' : String(content);
}

/** gen_ai.prompt.0.role / .content / .tool_calls.0.name …, ordered by index. */
function legacyIndexedMessages(attributes: OtlpAttributes): { prompt: RenderedMessage[]; completion: RenderedMessage[] } {
  const found = { prompt: new Map<number, Record<string, unknown>>(), completion: new Map<number, Record<string, unknown>>() };
  for (const [key, value] of attributes) {
    if (!key.startsWith('gen_ai.prompt.') && !key.startsWith('gen_ai.completion.')) continue;
    const match = legacyIndexedPattern.exec(key);
    if (!match) continue;
    const side = found[match[1] as 'prompt' | 'completion'];
    const index = Number(match[2]);
    const fields = side.get(index) ?? {};
    side.set(index, fields);
    const field = match[3];
    const toolCall = /^tool_calls\.(\d+)\.(name|arguments|id)$/.exec(field);
    if (toolCall) {
      const calls = (fields.tool_calls ??= []) as Record<string, unknown>[];
      (calls[Number(toolCall[1])] ??= {})[toolCall[2]] = toPlainValue(value);
    } else {
      fields[field] = toPlainValue(value);
    }
  }
  const ordered = (side: Map<number, Record<string, unknown>>): RenderedMessage[] =>
    [...side.entries()].sort(([left], [right]) => left - right).map(([, fields]) => renderMessage({ ...fields, tool_calls: (fields.tool_calls as unknown[] | undefined)?.filter(Boolean) }));
  return { prompt: ordered(found.prompt), completion: ordered(found.completion) };
}

/** The deprecated single-string content: a JSON list of messages, or plain text. */
function messagesFromLooseText(text: string): RenderedMessage[] {
  if (!text) return [];
  const parsed = parseIfJson(text);
  if (Array.isArray(parsed)) return parsed.map(renderMessage);
  if (isRecord(parsed)) return [renderMessage(parsed)];
  return [{ role: '', text }];
}

function eventText(span: OtlpSpan, eventName: string, attributeKey: string): string {
  const event = span.events.find((candidate) => candidate.name === eventName);
  return event ? readString(event.attributes, attributeKey) : '';
}

/** The older per-message events: gen_ai.system.message, gen_ai.user.message, … with `content` (and `role`). */
function messagesFromEvents(span: OtlpSpan): RenderedMessage[] {
  const messages: RenderedMessage[] = [];
  for (const event of span.events) {
    if (!promptMessageEvents.has(event.name)) continue;
    const role = readString(event.attributes, 'role') || event.name.slice('gen_ai.'.length, -'.message'.length);
    messages.push({ role, text: renderContent(parseIfJson(toPlainValue(event.attributes.get('content')))) });
  }
  return messages;
}

/** gen_ai.choice events: `message` ({role, content, tool_calls}) or `content` directly. */
function choicesFromEvents(span: OtlpSpan): RenderedMessage[] {
  const messages: RenderedMessage[] = [];
  for (const event of span.events) {
    if (event.name !== 'gen_ai.choice') continue;
    const message = parseIfJson(toPlainValue(event.attributes.get('message')));
    if (isRecord(message)) messages.push(renderMessage({ role: 'assistant', ...message }));
    else messages.push({ role: 'assistant', text: renderContent(parseIfJson(toPlainValue(event.attributes.get('content')))) });
  }
  return messages;
}

function parseIfJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
