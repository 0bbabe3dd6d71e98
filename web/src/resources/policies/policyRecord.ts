// A policy as the console reads it (GraphQL `Policy`); `document` is the policy-as-code contract (README).

export const piiDetectors = ['email', 'phone', 'cn_resident_id', 'bank_card', 'us_ssn', 'iban', 'ip_address', 'secret'] as const;
export const piiActions = ['allow', 'hash', 'mask', 'block'] as const;
export const quotaMetrics = ['requests', 'tokens', 'costUsd'] as const;
export const quotaPeriods = ['minute', 'hour', 'day', 'month'] as const;
export const retentionFields = ['requestsDays', 'contentDays', 'scoresDays', 'gpuDays'] as const;
export const scopeKinds = ['org', 'team', 'key', 'node'] as const;

export interface PolicyQuota {
  name: string;
  metric: (typeof quotaMetrics)[number];
  limit: string;
  period: (typeof quotaPeriods)[number];
  timeZone?: string;
  enforcement?: 'hard' | 'soft';
  models?: string[];
}

export interface PolicyDocument {
  name: string;
  scope: Record<string, string | boolean>;
  models?: { allowAll?: boolean; allow?: string[]; deny?: string[] };
  quotas?: PolicyQuota[];
  retention?: Partial<Record<(typeof retentionFields)[number], number>>;
  pii?: { detectors?: Partial<Record<(typeof piiDetectors)[number], (typeof piiActions)[number]>>; keepOnPremises?: boolean };
}

export interface PolicyRecord {
  id: string;
  name: string;
  version: number;
  scopeKind: string;
  scopeSubject: string;
  document: PolicyDocument;
  quotaCount: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  deleted: boolean;
}

export function scopeLabel(record: Pick<PolicyRecord, 'scopeKind' | 'scopeSubject'>): string {
  return record.scopeKind === 'org' ? 'organisation' : `${record.scopeKind}: ${record.scopeSubject}`;
}

/** A new policy's starting document. */
export const emptyDocument: PolicyDocument = { name: '', scope: { team: '' }, quotas: [] };

/**
 * The document as the server takes it: empty optional lists and sections the form left blank are dropped, limits
 * sent as the text typed (exact decimals), so what is saved is what the author meant.
 */
export function cleanDocument(document: PolicyDocument): PolicyDocument {
  const cleaned: PolicyDocument = { name: document.name?.trim() ?? '', scope: document.scope };
  if (document.models) {
    cleaned.models = { allowAll: Boolean(document.models.allowAll), allow: document.models.allow ?? [], deny: document.models.deny ?? [] };
  }
  cleaned.quotas = (document.quotas ?? []).map(quota => {
    const { models, ...rest } = quota;
    return models && models.length > 0 ? { ...rest, models } : rest;
  });
  if (document.retention) {
    const retention = Object.fromEntries(Object.entries(document.retention).filter(([, days]) => days !== null && days !== undefined && String(days) !== ''));
    if (Object.keys(retention).length > 0) cleaned.retention = retention;
  }
  if (document.pii) {
    const detectors = Object.fromEntries(Object.entries(document.pii.detectors ?? {}).filter(([, action]) => Boolean(action)));
    cleaned.pii = { detectors, keepOnPremises: Boolean(document.pii.keepOnPremises) };
  }
  return cleaned;
}
