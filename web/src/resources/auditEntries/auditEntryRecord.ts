export interface AuditEntryRecord {
  id: string;
  sequence: string;
  at: string;
  action: string;
  actor: string;
  actorRole: string | null;
  targetType: string | null;
  targetId: string | null;
  team: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
  prevId: string | null;
  prevHash: string;
  hash: string;
}

/** "policy claims", "Node 3f…", or nothing. */
export function targetLabel(entry: AuditEntryRecord): string {
  return [entry.targetType, entry.targetId].filter(Boolean).join(' ');
}
