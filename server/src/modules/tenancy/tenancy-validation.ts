import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { FieldProblem } from '../../engine/validation/field-problems';
import { apiKeyScopes, isApiKeyScope, type ApiKeyScope } from './api-key.entity';
import { allRoles, isRole, type Role } from './roles';

/** Limits stated in the README. */
export const tenancyLimits = {
  teamNameLength: 63,
  displayNameLength: 200,
  teamDepth: 10,
  teamsPerUser: 100,
  passwordMinLength: 8,
  passwordMaxLength: 1024,
  keyNameLength: 100,
  emailLength: 254,
} as const;

/** Slug-like: lower-case letters, digits, `-` and `_`, starting with a letter or digit (what events call the team). */
export const teamNamePattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Control characters in names would break logs and the console's tables.
const controlCharacters = /[\u0000-\u001f\u007f]/;

/** Collects problems, then throws one validation error naming every bad field. */
export class Problems {
  private readonly list: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  throwIfAny(): void {
    if (this.list.length > 0) {
      throw new DomainError(ErrorCode.Validation, this.list.map((problem) => `${problem.field}: ${problem.message}`).join('; '), this.list);
    }
  }
}

export function checkTeamName(problems: Problems, name: string): void {
  if (!teamNamePattern.test(name)) {
    problems.add('name', `1 to ${tenancyLimits.teamNameLength} lower-case letters, digits, "-" or "_", starting with a letter or digit`);
  }
}

export function checkText(problems: Problems, field: string, text: string, maxLength: number, options: { required?: boolean } = {}): void {
  if (options.required && text.trim() === '') problems.add(field, 'must not be empty');
  else if (text.length > maxLength) problems.add(field, `at most ${maxLength} characters`);
  else if (controlCharacters.test(text)) problems.add(field, 'must not contain control characters');
}

export function checkEmail(problems: Problems, email: string): void {
  if (email.length > tenancyLimits.emailLength || !emailPattern.test(email)) problems.add('email', 'must be an email address');
}

export function checkPassword(problems: Problems, password: string): void {
  if (password.length < tenancyLimits.passwordMinLength) problems.add('password', `at least ${tenancyLimits.passwordMinLength} characters`);
  else if (password.length > tenancyLimits.passwordMaxLength) problems.add('password', `at most ${tenancyLimits.passwordMaxLength} characters`);
}

export function checkRole(problems: Problems, role: string): role is Role {
  if (isRole(role)) return true;
  problems.add('role', `must be one of: ${allRoles.join(', ')}`);
  return false;
}

/** The scopes asked for, without repeats; every unknown one named. */
export function checkScopes(problems: Problems, scopes: readonly string[]): ApiKeyScope[] {
  if (scopes.length === 0) problems.add('scopes', `at least one of: ${apiKeyScopes.join(', ')}`);
  const unknown = scopes.filter((scope) => !isApiKeyScope(scope));
  if (unknown.length > 0) problems.add('scopes', `unknown scope ${unknown.map((scope) => JSON.stringify(scope)).join(', ')}; scopes are ${apiKeyScopes.join(', ')}`);
  return [...new Set(scopes.filter(isApiKeyScope))];
}
