import { parseDocument, visit } from 'yaml';
import type { FieldProblem } from '../../../engine/validation/field-problems';
import { validatePolicyDocument, type PolicyValidationOptions, type PolicyValidationResult } from './validate-policy-document';

export type PolicyTextResult = { ok: true; value: unknown } | { ok: false; problems: FieldProblem[] };

const DECIMAL_LITERAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a policy file, YAML or JSON (JSON is YAML 1.2), for the CLI. Numbers that a double cannot hold exactly
 * ("limit: 0.1", "limit: 12345678901234567890.12") are kept as their source text, a decimal string the validator
 * reads exactly; whole numbers a double holds exactly stay numbers. Duplicate keys are an error, not a last-wins.
 */
export function parsePolicyText(text: string): PolicyTextResult {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    return { ok: false, problems: document.errors.map((error) => ({ field: '', message: error.message.trim() })) };
  }
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value !== 'number' || Number.isSafeInteger(node.value)) return;
      const source = (node as { source?: unknown }).source;
      if (typeof source === 'string' && DECIMAL_LITERAL.test(source)) node.value = source;
    },
  });
  return { ok: true, value: document.toJS({ maxAliasCount: 100 }) as unknown };
}

/** Parse and validate in one step: every syntax or content problem named. */
export function readPolicyText(text: string, options: PolicyValidationOptions = {}): PolicyValidationResult {
  const parsed = parsePolicyText(text);
  return parsed.ok ? validatePolicyDocument(parsed.value, options) : { ok: false, problems: parsed.problems };
}
