/**
 * Which roles may use each console page: the server's access table (server/src/modules/tenancy/access-rules.ts) as
 * the pages need it. The menu shows an entry only to these roles; the server refuses the others whatever they try.
 */
const everyRole = ['admin', 'compliance', 'finance', 'sre', 'viewer'] as const;

export const pageReaders = {
  spend: ['admin', 'finance', 'viewer'],
  onPremCost: ['admin', 'finance', 'sre'],
  budgets: ['admin', 'finance'],
  chargeback: ['admin', 'finance'],
  requests: everyRole,
  evaluations: everyRole,
  fleet: ['admin', 'sre'],
  nodes: ['admin', 'sre'],
  routing: ['admin', 'sre'],
  prices: everyRole,
  policies: ['admin', 'compliance'],
  scoreDefinitions: everyRole,
  compliance: ['admin', 'compliance'],
  exports: ['admin', 'compliance'],
  // Each of these roles has alerts of its own (budgets, evaluations, GPUs, denials); admins manage rules and channels.
  alerts: ['admin', 'compliance', 'finance', 'sre'],
  alertRules: ['admin'],
  alertChannels: ['admin'],
  auditEntries: ['admin', 'compliance'],
  teams: ['admin'],
  users: ['admin'],
  apiKeys: ['admin'],
} as const satisfies Record<string, readonly string[]>;

export type Page = keyof typeof pageReaders;

export function mayOpen(role: string | undefined, page: Page): boolean {
  return role !== undefined && (pageReaders[page] as readonly string[]).includes(role);
}
