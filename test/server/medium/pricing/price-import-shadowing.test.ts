import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perTokenToPerMillion } from '../../../../server/src/engine/money/exact-decimal';
import { describeShadowing, type PriceShadowing } from '../../../../server/src/modules/pricing/catalog/price-shadowing';
import { postEvents, startTestApp, type TestApp } from '../../../support/test-app';
import { fixturesDirectory } from '../../../support/test-engines';

interface Finding extends Omit<PriceShadowing, 'entry' | 'other'> {
  entry: { modelPattern: string; provider: string; effectiveFrom: string; source: string };
  other: { modelPattern: string; provider: string; effectiveFrom: string; source: string };
}

const liteLlmFile = path.resolve(fixturesDirectory, 'data', 'model_prices_and_context_window.json');
const liteLlm = JSON.parse(fs.readFileSync(liteLlmFile, 'utf8')) as Record<string, { input_cost_per_token: number; output_cost_per_token: number }>;
const importedAt = '2026-02-01T00:00:00.000Z';
const reference = 'modelPattern provider effectiveFrom source';

/** nano-USD of 1000 input and 500 output tokens at per-million rates given as decimal strings. */
function costOf(inputPerMillion: string, outputPerMillion: string): string {
  const nanoPerToken = (perMillion: string) => {
    const [whole, fraction = ''] = perMillion.split('.');
    const nanoPerMillionTokens = BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
    expect(nanoPerMillionTokens % 1_000_000n, `${perMillion} is a whole number of nano-USD per token`).toBe(0n);
    return nanoPerMillionTokens / 1_000_000n;
  };
  return (1000n * nanoPerToken(inputPerMillion) + 500n * nanoPerToken(outputPerMillion)).toString();
}
const liteLlmCost = (key: string) => costOf(perTokenToPerMillion(liteLlm[key].input_cost_per_token), perTokenToPerMillion(liteLlm[key].output_cost_per_token));

describe('importing the real LiteLLM catalog reports what it shadows and what shadows it', () => {
  let testApp: TestApp;
  let shadowing: Finding[];
  let shadowingCount: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    const create = async (modelPattern: string, provider: string, rate: string, effectiveFrom: string) => {
      const answer = await testApp.graphql(
        `mutation($modelPattern: String!, $provider: String!, $rate: Decimal!, $effectiveFrom: DateTime!) {
          createPrice(modelPattern: $modelPattern, provider: $provider, inputPerMillionUsd: $rate, outputPerMillionUsd: $rate, effectiveFrom: $effectiveFrom) { id } }`,
        { modelPattern, provider, rate, effectiveFrom },
      );
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    };
    // Finance's own prices before the import: Azure's gpt-4o from June, a generic gpt-4o-mini for any provider.
    await create('gpt-4o', 'azure', '9', '2026-06-01T00:00:00Z');
    await create('gpt-4o-mini', '', '7', '2025-01-01T00:00:00Z');
    const answer = await testApp.graphql<{ importPrices: { imported: number; shadowing: Finding[]; shadowingCount: number } }>(
      `mutation Import($content: String!, $effectiveFrom: DateTime) { importPrices(content: $content, effectiveFrom: $effectiveFrom) {
        imported shadowingCount shadowing { entry { ${reference} } relation other { ${reference} } provider modelName modelNames reason } } }`,
      { content: fs.readFileSync(liteLlmFile, 'utf8'), effectiveFrom: importedAt },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    ({ shadowing, shadowingCount } = answer.data!.importPrices);
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('names an exact imported name shadowing a default pattern of its provider', () => {
    expect(shadowing).toContainEqual({
      entry: { modelPattern: 'gpt-4o-mini', provider: 'openai', effectiveFrom: importedAt, source: 'litellm' },
      relation: 'SHADOWS',
      other: { modelPattern: 'gpt-4o-mini(-\\d{4}-\\d{2}-\\d{2})?', provider: 'openai', effectiveFrom: '2024-07-18T00:00:00.000Z', source: 'warden-default' },
      provider: 'openai',
      modelName: 'gpt-4o-mini',
      modelNames: 1,
      reason: 'an exact model name beats a pattern',
    });
  });

  it("names a provider's imported price shadowing a generic one for that provider's events", () => {
    expect(shadowing).toContainEqual(expect.objectContaining({
      entry: expect.objectContaining({ modelPattern: 'gpt-4o-mini', provider: 'openai', source: 'litellm' }),
      relation: 'SHADOWS',
      other: expect.objectContaining({ modelPattern: 'gpt-4o-mini', provider: '', source: 'manual' }),
      provider: 'openai',
      reason: "a provider's own price beats a generic one",
    }));
  });

  it("names the import's azure/gpt-4o, mapped to provider azure, superseded by finance's later version", () => {
    expect(shadowing).toContainEqual(expect.objectContaining({
      entry: { modelPattern: 'gpt-4o', provider: 'azure', effectiveFrom: importedAt, source: 'litellm' },
      relation: 'SHADOWED_BY',
      other: { modelPattern: 'gpt-4o', provider: 'azure', effectiveFrom: '2026-06-01T00:00:00.000Z', source: 'manual' },
      reason: 'a later version of the same entry takes over from 2026-06-01T00:00:00.000Z',
    }));
  });

  it('pairs only entries that can price the same events, and counts what it lists', () => {
    expect(shadowingCount).toBeGreaterThanOrEqual(shadowing.length);
    expect(shadowing.length).toBeGreaterThan(20);
    for (const finding of shadowing) {
      expect([finding.entry.provider, finding.other.provider], JSON.stringify(finding)).toContain(finding.provider);
      expect(finding.other.provider === finding.entry.provider || finding.other.provider === '' || finding.entry.provider === '', JSON.stringify(finding)).toBe(true);
      expect(finding.entry.source).toBe('litellm');
    }
    // Re-stating the import's own earlier versions is history, not shadowing: nothing pairs an entry with itself
    // except a later version.
    for (const finding of shadowing.filter((item) => item.entry.modelPattern === item.other.modelPattern && item.entry.provider === item.other.provider)) {
      expect(Date.parse(finding.other.effectiveFrom)).toBeGreaterThan(Date.parse(finding.entry.effectiveFrom));
    }
    expect(describeShadowing([{ ...shadowing[0], entry: { ...shadowing[0].entry, effectiveFrom: new Date(shadowing[0].entry.effectiveFrom) }, other: { ...shadowing[0].other, effectiveFrom: new Date(shadowing[0].other.effectiveFrom) } }])[0])
      .toMatch(/^\S+ \/ .+ \(litellm, from 2026-02-01\) (shadows|is shadowed by) .+ for .+: .+$/);
  });

  it('prices events as the report says', async () => {
    const event = (id: string, timestamp: string, provider: string, model: string) => ({ id, timestamp, provider, model, inputTokens: 1000, outputTokens: 500 });
    const answer = await postEvents(testApp, [
      event('shadow-azure-march', '2026-03-01T00:00:00Z', 'azure', 'gpt-4o'),
      event('shadow-azure-prefixed', '2026-03-01T00:00:00Z', '', 'azure/gpt-4o'),
      event('shadow-azure-july', '2026-07-01T00:00:00Z', 'azure', 'gpt-4o'),
      event('shadow-mini-openai', '2026-03-01T00:00:00Z', 'openai', 'gpt-4o-mini'),
      event('shadow-mini-no-provider', '2026-03-01T00:00:00Z', '', 'gpt-4o-mini'),
      event('shadow-mini-openrouter', '2026-03-01T00:00:00Z', 'openrouter', 'gpt-4o-mini'),
    ]);
    expect(answer.body).toMatchObject({ accepted: 6, rejected: 0 });
    const costs = await testApp.graphql<Record<string, { costNanoUsd: string }>>(`{
      azureMarch: Request(id: "shadow-azure-march") { costNanoUsd }
      azurePrefixed: Request(id: "shadow-azure-prefixed") { costNanoUsd }
      azureJuly: Request(id: "shadow-azure-july") { costNanoUsd }
      miniOpenai: Request(id: "shadow-mini-openai") { costNanoUsd }
      miniNoProvider: Request(id: "shadow-mini-no-provider") { costNanoUsd }
      miniOpenrouter: Request(id: "shadow-mini-openrouter") { costNanoUsd }
    }`);
    expect(costs.errors).toBeUndefined();
    expect(costs.data).toEqual({
      azureMarch: { costNanoUsd: liteLlmCost('azure/gpt-4o') },
      azurePrefixed: { costNanoUsd: liteLlmCost('azure/gpt-4o') },
      azureJuly: { costNanoUsd: costOf('9', '9') },
      miniOpenai: { costNanoUsd: liteLlmCost('gpt-4o-mini') },
      miniNoProvider: { costNanoUsd: liteLlmCost('gpt-4o-mini') },
      miniOpenrouter: { costNanoUsd: costOf('7', '7') },
    });
  });
});
