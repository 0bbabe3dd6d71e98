import { GatewayError, invalidRequest } from './openai-errors';

export type GatewayOperation = 'chat' | 'completion' | 'embedding';

export const pathOfOperation: Readonly<Record<GatewayOperation, string>> = {
  chat: '/v1/chat/completions',
  completion: '/v1/completions',
  embedding: '/v1/embeddings',
};

export const operationOfPath: Readonly<Record<string, GatewayOperation>> = Object.fromEntries(
  Object.entries(pathOfOperation).map(([operation, path]) => [path, operation as GatewayOperation]),
);

/** One text of the request the policy reads (a message, a prompt, an input), and how to put a redacted one back. */
interface TextSlot {
  text: string;
  replace(text: string): void;
}

/** A gateway request read and checked: nothing is forwarded unless this succeeds. */
export interface GatewayRequest {
  operation: GatewayOperation;
  /** The parsed body; changed in place when personal data is masked. */
  body: Record<string, unknown>;
  raw: Buffer;
  model: string;
  stream: boolean;
  /** The client asked for the usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  maxOutputTokens: number | undefined;
  slots: TextSlot[];
  /** Every text, joined by NUL (which no detector spans), for one decision call. */
  text: string;
  user: string;
}

export const textSeparator = '\u0000';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectContent(owner: Record<string, unknown>, field: string, slots: TextSlot[]): void {
  const value = owner[field];
  if (typeof value === 'string') {
    slots.push({ text: value, replace: (text) => (owner[field] = text) });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item === 'string') slots.push({ text: item, replace: (text) => (value[index] = text) });
      else if (isRecord(item) && typeof item.text === 'string') slots.push({ text: item.text, replace: (text) => (item.text = text) });
    });
  }
}

function positiveInteger(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalidRequest(`${field}: must be a whole number of at least 1`, field);
  return value;
}

/**
 * Reads a request body: JSON object, `model` a string, the fields the policy needs well formed. Malformed input is
 * answered here in OpenAI's shape, before any node is asked. Other fields pass to the node untouched.
 */
export function readGatewayRequest(operation: GatewayOperation, raw: Buffer): GatewayRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidRequest('We could not parse the JSON body of your request: send a JSON object.');
  }
  if (!isRecord(body)) throw invalidRequest('The request body must be a JSON object.');
  const model = body.model;
  if (model === undefined || model === null || model === '') throw invalidRequest('you must provide a model parameter', 'model');
  if (typeof model !== 'string' || model.length > 256) throw invalidRequest('model: must be a model name (a string of at most 256 characters)', 'model');
  const slots: TextSlot[] = [];
  if (operation === 'chat') {
    if (!Array.isArray(body.messages) || body.messages.length === 0) throw invalidRequest('messages: must be a non-empty array of messages', 'messages');
    body.messages.forEach((message, index) => {
      if (!isRecord(message)) throw invalidRequest(`messages[${index}]: must be an object`, `messages[${index}]`);
      collectContent(message, 'content', slots);
    });
  } else if (operation === 'completion') {
    if (body.prompt === undefined) throw invalidRequest('prompt: is required', 'prompt');
    collectContent(body, 'prompt', slots);
  } else {
    if (body.input === undefined || body.input === null || body.input === '') throw invalidRequest('input: is required', 'input');
    collectContent(body, 'input', slots);
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean' && body.stream !== null) throw invalidRequest('stream: must be a boolean', 'stream');
  const stream = body.stream === true && operation !== 'embedding';
  const streamOptions = body.stream_options;
  const includeUsage = isRecord(streamOptions) && streamOptions.include_usage === true;
  const maxOutputTokens = operation === 'embedding' ? undefined : (positiveInteger(body, 'max_completion_tokens') ?? positiveInteger(body, 'max_tokens'));
  const user = typeof body.user === 'string' ? body.user.slice(0, 256) : '';
  return { operation, body, raw, model, stream, includeUsage, maxOutputTokens, slots, text: slots.map((slot) => slot.text).join(textSeparator), user };
}

/** A rough count for the reservation before the node answers (about four characters a token); settled with the real count. */
export function estimateInputTokens(request: GatewayRequest): number {
  return Math.ceil(request.text.length / 4) + 1;
}

/** Puts the redacted texts back in the body; false when the redacted text does not split back into the same slots. */
export function applyRedactedText(request: GatewayRequest, redacted: string): boolean {
  const parts = redacted.split(textSeparator);
  if (parts.length !== request.slots.length) return false;
  request.slots.forEach((slot, index) => {
    if (parts[index] !== slot.text) slot.replace(parts[index]);
  });
  request.text = redacted;
  return true;
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
