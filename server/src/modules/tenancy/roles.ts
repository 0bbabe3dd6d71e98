/** A user's one role. Role rules live here, in tenancy; the engine only carries role names it is handed. */
export type Role = 'admin' | 'finance' | 'compliance' | 'sre' | 'viewer';

/** Every role; an operation the access table gives to all of them is open to every signed-in user. */
export const allRoles = ['admin', 'finance', 'compliance', 'sre', 'viewer'] as const satisfies readonly Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (allRoles as readonly string[]).includes(value);
}

/** Exactly the listed roles may use a handler: admin is not implied, so every grant is written where it applies. */
export function roleMayUse(role: Role, admitted: readonly string[]): boolean {
  return admitted.includes(role);
}
