/**
 * One spelling per provider. Catalog files and events name the same provider differently (LiteLLM says 'gemini'
 * and 'vertex_ai-anthropic_models', an SDK may say 'Google'); the catalog parsers and the matcher both pass names
 * through here, so an entry and an event agree on what 'the same provider' means.
 */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  gemini: 'google',
  google_ai_studio: 'google',
  googleai: 'google',
  'text-completion-openai': 'openai',
  azure_text: 'azure',
  codestral: 'mistral',
  'text-completion-codestral': 'mistral',
  mistralai: 'mistral',
  dashscope: 'qwen',
  alibaba: 'qwen',
  meta_llama: 'meta',
  together: 'together_ai',
  fireworks: 'fireworks_ai',
  bedrock_converse: 'bedrock',
  cohere_chat: 'cohere',
};

export function normalizeProviderName(provider: string | null | undefined): string {
  let name = (provider ?? '').trim().toLowerCase();
  // LiteLLM splits one provider into price sheets: 'vertex_ai-language-models', 'fireworks_ai-embedding-models'.
  if (name.startsWith('vertex_ai')) name = 'vertex_ai';
  name = name.replace(/-embedding-models$/, '');
  return PROVIDER_ALIASES[name] ?? name;
}

/** Provider of a model judged from its name alone, where the name makes it obvious; '' (any provider) otherwise. */
export function inferProviderFromModelName(modelName: string): string {
  const name = modelName.trim().toLowerCase();
  for (const [pattern, provider] of MODEL_NAME_PROVIDERS) {
    if (pattern.test(name)) return provider;
  }
  return '';
}

const MODEL_NAME_PROVIDERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(ft:)?(gpt-|chatgpt-|o[1-9](-|$)|text-(embedding|davinci|curie|babbage|ada)-|davinci-|babbage-|codex-)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^(gemini-|gemma-|textembedding-gecko|(chat|code|codechat|text)-(bison|gecko|unicorn))/, 'google'],
  [/^(mistral-|mixtral-|codestral|ministral-|pixtral-|magistral-|devstral-|open-mi[sx]tral-)/, 'mistral'],
  [/^deepseek-/, 'deepseek'],
  [/^(qwen|qwq-)/, 'qwen'],
  [/^grok-/, 'xai'],
];
