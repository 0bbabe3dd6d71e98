import { allRoles, type Role } from './roles';

/**
 * Who may do what: the one table of role × operation. Every session-guarded resolver and route names its operation
 * (`@Allow('spend.read')`), so reads are scoped as well as writes, and the role matrix test walks this table.
 * Exactly the listed roles may: admin is not implied, every grant is written here.
 *
 *  - finance sees spend, budgets, chargeback, prices and costs, never content;
 *  - compliance sees requests with their content, policies, the audit log, exports and retention, and changes no policy;
 *  - sre sees nodes, their statistics, GPUs and requests (without content);
 *  - every role but viewer reads alerts;
 *  - viewer sees its own teams' dashboards only (see teamScopedRoles);
 *  - admin administers everything, including teams, users and API keys.
 */
export const accessRules = {
  /** Signed in at all (sign out, job status). */
  'session.use': allRoles,
  'spend.read': ['admin', 'finance', 'viewer'],
  /** Request rows without their content (prompt, completion): content.read decides that. */
  'requests.read': ['admin', 'compliance', 'finance', 'sre', 'viewer'],
  'content.read': ['admin', 'compliance'],
  'evaluations.read': allRoles,
  'scores.write': ['admin', 'compliance', 'sre'],
  'scoreDefinitions.read': allRoles,
  'scoreDefinitions.write': ['admin'],
  'prices.read': allRoles,
  'prices.write': ['admin', 'finance'],
  'costs.recompute': ['admin', 'finance'],
  'nodes.read': allRoles,
  'nodes.write': ['admin'],
  /** Request rates, errors, latency and the engine metrics each node's agent reports: the SRE's views. */
  'nodeStats.read': ['admin', 'sre'],
  'gpus.read': ['admin', 'sre'],
  /** GPU cost per token next to API prices: finance's comparison, on the SRE's fleet. */
  'onPremCost.read': ['admin', 'finance', 'sre'],
  /** Every team's month: spend against its limit and the forecast. */
  'budgets.read': ['admin', 'finance'],
  'chargebackReports.read': ['admin', 'finance'],
  'chargebackReports.write': ['admin', 'finance'],
  'policies.read': ['admin', 'compliance'],
  'policies.write': ['admin'],
  'audit.read': ['admin', 'compliance'],
  'complianceView.read': ['admin', 'compliance'],
  /** Auditor exports and their files. */
  'exports.read': ['admin', 'compliance'],
  'exports.write': ['admin', 'compliance'],
  /** Retention status and legal holds. */
  'retention.read': ['admin', 'compliance'],
  /** Place and release legal holds. */
  'retention.hold': ['admin', 'compliance'],
  /** Apply retention now rather than at the next scheduled sweep. */
  'retention.sweep': ['admin'],
  /** Alert history and the rules behind it (SRE, finance and compliance each have alerts of theirs). */
  'alerts.read': ['admin', 'compliance', 'finance', 'sre'],
  'alertRules.write': ['admin'],
  /** Evaluate every enabled rule now rather than at the next tick. */
  'alerts.evaluate': ['admin'],
  /** A channel's URL is a credential to post into someone's chat: admins only, to read as to write. */
  'alertChannels.manage': ['admin'],
  'tenancy.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Operation = keyof typeof accessRules;

export const operations = Object.keys(accessRules) as Operation[];

export function rolesFor(operation: Operation): readonly Role[] {
  return accessRules[operation];
}

export function mayPerform(role: Role | undefined, operation: Operation): boolean {
  return role !== undefined && (accessRules[operation] as readonly Role[]).includes(role);
}

/**
 * Roles whose reads of team data (spend, requests) are limited to the teams they belong to, and the teams under
 * those. Every other role that may read team data reads every team's.
 */
export const teamScopedRoles: ReadonlySet<Role> = new Set<Role>(['viewer']);
