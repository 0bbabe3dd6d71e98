/**
 * One spelling per provider. Catalog files and events name the same provider differently (LiteLLM says 'gemini'
 * and 'vertex_ai-anthropic_models', OpenTelemetry says 'aws.bedrock', an SDK may say 'Google'); the catalog parsers
 * and the matcher both pass names through here, so an entry and an event agree on what 'the same provider' means.
 * A name not listed is kept as it is, lower-cased: LiteLLM's own provider names are Warden's for every provider
 * not listed here.
 */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  // LiteLLM provider names and key prefixes
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
  'together-ai': 'together_ai',
  fireworks: 'fireworks_ai',
  'fireworks-ai': 'fireworks_ai',
  bedrock_converse: 'bedrock',
  cohere_chat: 'cohere',
  'amazon-nova': 'amazon_nova',
  'text-completion-inception': 'inception',
  // OpenTelemetry GenAI `gen_ai.system` / `gen_ai.provider.name` values
  'aws.bedrock': 'bedrock',
  'azure.ai.openai': 'azure',
  'az.ai.openai': 'azure',
  'azure.ai.inference': 'azure_ai',
  'az.ai.inference': 'azure_ai',
  'gcp.vertex_ai': 'vertex_ai',
  'gcp.gemini': 'google',
  'gcp.gen_ai': 'google',
  mistral_ai: 'mistral',
  x_ai: 'xai',
  'ibm.watsonx.ai': 'watsonx',
};

export function normalizeProviderName(provider: string | null | undefined): string {
  let name = (provider ?? '').trim().toLowerCase();
  // LiteLLM splits one provider into price sheets: 'vertex_ai-language-models', 'fireworks_ai-embedding-models'.
  if (name.startsWith('vertex_ai')) name = 'vertex_ai';
  name = name.replace(/-embedding-models$/, '');
  return PROVIDER_ALIASES[name] ?? name;
}

/**
 * A model name that starts with a provider's prefix ('azure/gpt-4o', 'bedrock/anthropic.claude-3-haiku'), split into
 * that provider and the rest; null when the name has no prefix or the prefix is not `provider` (normalized). LiteLLM
 * writes its keys and its callers' model names this way.
 */
export function splitProviderPrefix(modelName: string, provider: string): { provider: string; modelName: string } | null {
  const slash = modelName.indexOf('/');
  if (slash <= 0 || slash === modelName.length - 1) return null;
  const prefix = normalizeProviderName(modelName.slice(0, slash));
  if (prefix === '' || prefix !== normalizeProviderName(provider)) return null;
  return { provider: prefix, modelName: modelName.slice(slash + 1) };
}

/** The provider named by a model name's prefix ('azure/gpt-4o' → 'azure'), normalized; '' when there is no prefix. */
export function providerPrefixOf(modelName: string): string {
  const slash = modelName.indexOf('/');
  return slash <= 0 || slash === modelName.length - 1 ? '' : normalizeProviderName(modelName.slice(0, slash));
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
