import { createRequire } from 'node:module';

interface Encoding {
  countTokens(text: string): number;
}

const load = createRequire(__filename);
const encodings = new Map<string, Encoding>();

/** Loaded on first use: the tables are large and most nodes report usage themselves. */
function encoding(name: 'o200k_base' | 'cl100k_base'): Encoding {
  let found = encodings.get(name);
  if (!found) {
    found = load(`gpt-tokenizer/encoding/${name}`) as Encoding;
    encodings.set(name, found);
  }
  return found;
}

/**
 * Tokens of a text for a model, when the node reports no usage: OpenAI's o200k_base for the GPT-4o / o-series /
 * GPT-4.1 / GPT-5 families, cl100k_base for every other model (GPT-4, GPT-3.5 and, as the closest public BPE, the
 * open models and Claude). gpt-tokenizer is a pure-JavaScript port of OpenAI's tiktoken with its rank files.
 */
export function countTokens(model: string, text: string): number {
  if (text === '') return 0;
  const family = /(^|\/)(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o|gpt-oss)/i.test(model) ? 'o200k_base' : 'cl100k_base';
  return encoding(family).countTokens(text);
}
