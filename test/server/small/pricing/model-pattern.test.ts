import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compileModelPattern, exactNameOf, PricePatternError, requiredLiteralOf } from '../../../../server/src/modules/pricing/catalog/model-pattern';
import type { PriceEntry } from '../../../../server/src/modules/pricing/catalog/price-entry';
import { PriceMatcher } from '../../../../server/src/modules/pricing/catalog/price-matcher';

const catastrophicPattern = '(a+)+b';
const clientModelName = 'a'.repeat(35);

describe('model patterns run in linear time (RE2)', () => {
  it('shows the old engine freezing on (a+)+b and a 35-character name', () => {
    // What the landed matcher ran: a backtracking JavaScript RegExp. Given a second, it has not finished.
    const child = spawnSync(
      process.execPath,
      ['-e', `new RegExp(${JSON.stringify(`^(?:${catastrophicPattern})$`)}, 'i').test(${JSON.stringify(clientModelName)})`],
      { timeout: 1000 },
    );
    expect(child.error).toMatchObject({ code: 'ETIMEDOUT' });
    expect(child.signal).toBe('SIGTERM');
  });

  it('answers at once for the same pattern and name, and for a much longer name', () => {
    const started = performance.now();
    const matcher = new PriceMatcher([price(catastrophicPattern)]);
    expect(matcher.find(clientModelName, 'acme', new Date('2026-03-01T00:00:00Z'))).toBeNull();
    expect(matcher.find('a'.repeat(100_000), 'acme', new Date('2026-03-01T00:00:00Z'))).toBeNull();
    expect(matcher.find('aaab', 'acme', new Date('2026-03-01T00:00:00Z'))?.inputPerMillionUsd).toBe('1');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it.each([
    ['(a)\\1', /invalid escape sequence/],
    ['gpt-4o(?!-mini)', /unsupported Perl syntax/],
    ['(?<=gpt-)4o', /invalid named capture|unsupported/],
    ['gpt-(4o', /missing closing \)/],
    ['a{1001}', /invalid repeat count/],
  ])('refuses %s when written, naming the pattern', (pattern, reason) => {
    expect(() => compileModelPattern(pattern)).toThrow(PricePatternError);
    expect(() => compileModelPattern(pattern)).toThrow(`model pattern ${JSON.stringify(pattern)} is not a valid regular expression for RE2`);
    expect(() => compileModelPattern(pattern)).toThrow(reason);
  });

  it('refuses an empty or overlong pattern', () => {
    expect(() => compileModelPattern('')).toThrow(/must not be empty/);
    expect(() => compileModelPattern('a'.repeat(501))).toThrow(/longer than 500 characters/);
  });

  it('matches the whole name, case-insensitively', () => {
    const pattern = compileModelPattern('gpt-4o(-\\d{4}-\\d{2}-\\d{2})?');
    expect(pattern.matches('GPT-4o-2024-08-06')).toBe(true);
    expect(pattern.matches('gpt-4o-mini')).toBe(false);
    expect(pattern.matches('my-gpt-4o')).toBe(false);
  });
});

describe('exactNameOf', () => {
  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['GPT-4o', 'gpt-4o'],
    ['^gpt-4o$', 'gpt-4o'],
    ['gpt-4\\.1', 'gpt-4.1'],
    ['meta-llama/Llama-3\\.3-70B', 'meta-llama/llama-3.3-70b'],
    ['claude-3-5-sonnet@20240620', 'claude-3-5-sonnet@20240620'],
    ['a\\$', 'a$'],
  ])('%s is the exact name %s', (pattern, name) => {
    expect(exactNameOf(pattern)).toBe(name);
  });

  it.each(['gpt-4.1', 'gpt-4o.*', 'o\\d', 'a|b', 'gpt-4o(-mini)?', '[ab]', 'x+', '^$'])('%s is a pattern', (pattern) => {
    expect(exactNameOf(pattern)).toBeNull();
  });
});

function price(modelPattern: string): PriceEntry {
  return {
    modelPattern,
    provider: 'acme',
    inputPerMillionUsd: '1',
    outputPerMillionUsd: '1',
    cachedInputPerMillionUsd: null,
    effectiveFrom: new Date('2026-01-01T00:00:00Z'),
    source: 'manual',
  };
}

describe('requiredLiteralOf, the quick test before RE2', () => {
  it.each([
    ['gpt-4o(-\\d{4}-\\d{2}-\\d{2})?', 'gpt-4o'],
    ['^Claude-3[-.]5-sonnet', 'claude-3'],
    ['gpt-4\\.1-mini.*', 'gpt-4.1-mini'],
    ['gpt-4o?', 'gpt-4'],
    ['o3+x', 'o'],
    ['gpt-4o|o3', ''],
    ['^(openai/)?(gpt-4o)$', 'gpt-4o'],
    ['(?i)^(anthropic/)?(claude-sonnet-4-5(-20250929)?)$', 'claude-sonnet-4-5'],
    ['^(anthropic/)?(claude-sonnet-4-5(-20250929)?)$', 'claude-sonnet-4-5'],
    ['(?:abc|abd)x', 'x'],
    ['(abc)*xy', 'xy'],
    ['\\d+-model', '-model'],
    ['a{2,3}bb', 'bb'],
    ['[|]x', 'x'],
  ])('%s always contains %j', (pattern, literal) => {
    expect(requiredLiteralOf(pattern)).toBe(literal);
  });

  it('never rules out a name RE2 would match', () => {
    const pattern = compileModelPattern('gpt-4o(-mini)?');
    expect(pattern.matches('GPT-4o-MINI')).toBe(true);
    expect(pattern.matches('gpt-4x')).toBe(false);
    expect(pattern.matches('gp')).toBe(false);
    const folded = compileModelPattern('s-model.*');
    expect(folded.matches('\u017f-model-1')).toBe(true); // RE2 folds the long s onto s
    const alternation = compileModelPattern('gpt-4o|o3');
    expect(alternation.matches('o3')).toBe(true);
    const langfuse = compileModelPattern('^(openai/)?(gpt-4o)$');
    expect(langfuse.matches('OpenAI/GPT-4o')).toBe(true);
    expect(langfuse.matches('gpt-4')).toBe(false);
  });
});
