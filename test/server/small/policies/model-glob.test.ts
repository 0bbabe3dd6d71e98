import { describe, expect, it } from 'vitest';
import { compileModelGlob, matchesAnyModelGlob, modelGlobProblem } from '../../../../server/src/modules/policies/rules/model-glob';

const matches = (glob: string, model: string) => compileModelGlob(glob)(model);

describe('model globs', () => {
  it('matches stars across any characters, slashes included', () => {
    expect(matches('llama-3.*', 'llama-3.1-70b-instruct')).toBe(true);
    expect(matches('llama-3.*', 'llama-30')).toBe(false);
    expect(matches('llama-3.*', 'meta/llama-3.1')).toBe(false);
    expect(matches('*llama-3*', 'meta-llama/Llama-3.1-8B')).toBe(true);
    expect(matches('*', 'openai/gpt-4o')).toBe(true);
    expect(matches('gpt-4o*', 'gpt-4o')).toBe(true);
    expect(matches('gpt-4o*', 'gpt-4')).toBe(false);
    expect(matches('*-preview', 'gpt-4o-preview')).toBe(true);
    expect(matches('*-preview', 'gpt-4o-preview-2')).toBe(false);
  });

  it('ignores case, so a deny cannot be stepped around', () => {
    expect(matches('*-preview', 'GPT-4O-PREVIEW')).toBe(true);
    expect(matches('GPT-4o-mini', 'gpt-4o-MINI')).toBe(true);
    expect(matches('claude-[A-Z]*', 'claude-opus')).toBe(true);
  });

  it('supports ?, classes, negated classes, alternatives and escapes', () => {
    expect(matches('gpt-?o', 'gpt-4o')).toBe(true);
    expect(matches('gpt-?o', 'gpt-40o')).toBe(false);
    expect(matches('claude-[3-4]-*', 'claude-3-haiku')).toBe(true);
    expect(matches('claude-[3-4]-*', 'claude-5-haiku')).toBe(false);
    expect(matches('claude-[!3]-*', 'claude-5-haiku')).toBe(true);
    expect(matches('{gpt-4o,o1}*', 'o1-mini')).toBe(true);
    expect(matches('{gpt-4o,o{1,3}}-mini', 'o3-mini')).toBe(true);
    expect(matches('{gpt-4o,o{1,3}}-mini', 'o2-mini')).toBe(false);
    expect(matches('weird\\*name', 'weird*name')).toBe(true);
    expect(matches('weird\\*name', 'weirdXname')).toBe(false);
  });

  it('matches in linear time where a backtracking regex takes seconds', () => {
    const started = performance.now();
    expect(matches('*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('names what is wrong with a bad glob', () => {
    expect(modelGlobProblem('gpt-[4')).toMatch(/"\[" without "]"/);
    expect(modelGlobProblem('gpt-{4')).toMatch(/"{" without "}"/);
    expect(modelGlobProblem('gpt-4}')).toMatch(/"}" without "{"/);
    expect(modelGlobProblem('')).toBe('must not be empty');
    expect(modelGlobProblem('gpt 4')).toMatch(/spaces/);
    expect(modelGlobProblem('!gpt-4')).toMatch(/deny/);
    expect(modelGlobProblem('@(a|b)')).toMatch(/extended globs/);
    expect(modelGlobProblem('[z-a]')).toMatch(/out of order/);
    expect(modelGlobProblem(42)).toBe('must be a string');
    expect(modelGlobProblem('gpt-4o*')).toBeUndefined();
  });

  it('matchesAnyModelGlob: any of a list, none of an empty list', () => {
    expect(matchesAnyModelGlob('gpt-4o-mini', ['llama-*', 'gpt-4o*'])).toBe(true);
    expect(matchesAnyModelGlob('gpt-4o-mini', [])).toBe(false);
  });
});
