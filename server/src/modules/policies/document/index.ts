export * from './policy-document';
export { canonicalPolicyDocument, canonicalPolicyJson, samePolicyDocument } from './canonical-policy';
export { parsePolicyText, readPolicyText, type PolicyTextResult } from './policy-text';
export { MAX_QUOTA_AMOUNT, quotaLimitAmount, quotaLimitFromDecimal } from './quota-limit';
export {
  parsePolicyDocument,
  validatePolicyDocument,
  type PolicyValidationOptions,
  type PolicyValidationResult,
} from './validate-policy-document';
