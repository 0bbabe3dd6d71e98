import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { checkDecimalColumn, type DecimalColumn } from '../../engine/money/decimal-column';
import { NodeApiKeys } from './node-api-keys';
import { nodeKinds, nodeLocations, type NodeEntity, type NodeKind, type NodeLocation } from './node.entity';
import type { NodeRateVersionEntity } from './node-rate-version.entity';
import { NodeRepository, type NodeListQuery, type NodeRateValues } from './nodes.repository';

export interface NodeRates {
  /** USD per hour, decimal text (a number is read through its digits); exact, up to nine decimals. */
  hourlyCostUsd: string | number;
  /** USD per kWh, up to nine decimals. */
  energyPriceUsdPerKwh: string | number;
  /** PUE, 1 to 5, up to three decimals. */
  powerOverheadFactor: string | number;
}

export interface NodeInput extends NodeRates {
  name: string;
  kind: string;
  labels: Record<string, string>;
  notes: string;
  /** When the rates take effect; default now. Hours are costed with the version in force for them. */
  ratesEffectiveFrom?: Date;
  /** The team that carries the node's idle hours; '' or null: none. */
  ownerTeam?: string | null;
  /** The gateway's side of a node (issue 8 §1); absent fields keep their value (or default, on create). */
  routing?: NodeRoutingInput;
}

/** Where and how the gateway reaches a node. `apiKey`: write-only; '' or null removes it. */
export interface NodeRoutingInput {
  baseUrl?: string | null;
  apiKey?: string | null;
  location?: string;
  models?: string[];
  enabled?: boolean;
  routingPreference?: number | null;
}

/** What the gateway's health checks found. */
export interface NodeHealthReport {
  status: 'up' | 'down';
  latencyMs: number | null;
  checkedAt: Date;
  error: string | null;
  /** Undefined: keep what was discovered before (the check could not list models). */
  discoveredModels?: string[];
  flaggedModels: string[];
}

/** A routable node as the gateway needs it: the API key opened, everything else plain. */
export interface RoutableNode {
  id: string;
  name: string;
  kind: NodeKind;
  baseUrl: string;
  apiKey: string | null;
  location: NodeLocation;
  models: string[];
  enabled: boolean;
  routingPreference: number | null;
  healthStatus: NodeEntity['healthStatus'];
}

/** A node with the rate version that prices an hour happening now (or, before its first version, that first one). */
export interface NodeView {
  node: NodeEntity;
  rates: NodeRateVersionEntity | null;
}

export interface NodeRateVersion {
  version: NodeRateVersionEntity;
  /** When the next version takes over; null for the latest. */
  effectiveUntil: Date | null;
  inForce: boolean;
}

/** What onPremCost needs of each node: its name and every rate version, oldest first, as plain values. */
export interface NodeRateHistory {
  name: string;
  ownerTeam: string | null;
  versions: Array<{ effectiveFrom: Date; hourlyCostUsd: string; energyPriceUsdPerKwh: string; powerOverheadFactor: string }>;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;
const maxLabels = 64;

/** The columns the rates are stored in, with the range that makes sense for each. */
const rateColumns: Record<keyof NodeRates, DecimalColumn> = {
  hourlyCostUsd: { precision: 20, scale: 9, minimum: '0', maximum: '1000000' },
  energyPriceUsdPerKwh: { precision: 20, scale: 9, minimum: '0', maximum: '1000' },
  powerOverheadFactor: { precision: 6, scale: 3, minimum: '1', maximum: '5' },
};

/**
 * Inference nodes: the registry the GPU views and GPU cost per token read their names, labels and rates from.
 * Rates keep their history: a change is a new version effective from a given instant (default now); a version in
 * force is never rewritten, so the cost of past hours stays what it was.
 */
@Injectable()
export class NodeService {
  private readonly changeListeners: Array<() => void> = [];

  constructor(
    private readonly repository: NodeRepository,
    private readonly apiKeys: NodeApiKeys,
  ) {}

  /** Called after every change to a node made through this process (the gateway's node list then reloads at once). */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  async list(query: NodeListQuery, now = new Date()): Promise<{ rows: NodeView[]; total: number }> {
    const { rows, total } = await this.repository.list(query);
    const versions = await this.repository.findRateVersions(rows.map((node) => node.id));
    return { rows: rows.map((node) => ({ node, rates: currentRates(versions.filter((version) => version.nodeId === node.id), now) })), total };
  }

  findAll(): Promise<NodeEntity[]> {
    return this.repository.findAll();
  }

  /** The node of this name (the `node` of events and agents), or null. */
  findByName(name: string): Promise<NodeEntity | null> {
    return this.repository.findByName(name);
  }

  async get(id: string, now = new Date()): Promise<NodeView> {
    const node = await this.repository.findById(id);
    if (!node) throw new DomainError(ErrorCode.NotFound, `No node with id ${id}`);
    return { node, rates: currentRates(await this.repository.findRateVersions([node.id]), now) };
  }

  /** Every rate version of the node, oldest first. */
  async rateVersions(id: string, now = new Date()): Promise<NodeRateVersion[]> {
    const { node } = await this.get(id, now);
    const versions = await this.repository.findRateVersions([node.id]);
    const inForce = versions.filter((version) => version.effectiveFrom.getTime() <= now.getTime()).pop();
    return versions.map((version, index) => ({ version, effectiveUntil: versions[index + 1]?.effectiveFrom ?? null, inForce: version === inForce }));
  }

  /** Every registered node with all its rate versions, for costing hours. */
  async rateHistories(): Promise<NodeRateHistory[]> {
    const [nodes, versions] = await Promise.all([this.repository.findAll(), this.repository.findRateVersions()]);
    return nodes.map((node) => ({
      name: node.name,
      ownerTeam: node.ownerTeam ?? null,
      versions: versions
        .filter((version) => version.nodeId === node.id)
        .map(({ effectiveFrom, hourlyCostUsd, energyPriceUsdPerKwh, powerOverheadFactor }) => ({ effectiveFrom, hourlyCostUsd, energyPriceUsdPerKwh, powerOverheadFactor })),
    }));
  }

  async create(input: NodeInput, now = new Date()): Promise<NodeView> {
    const { node, rates, routing } = validateEveryField(input, input.routing ?? {});
    await this.refuseTakenName(node.name);
    const id = randomUUID();
    const { apiKey, ...routingColumns } = routing;
    const saved = await this.repository.createWithRates(
      { ...node, ...routingColumns, id, apiKeyEncrypted: apiKey ? this.apiKeys.seal(apiKey, id) : null },
      { ...rates, effectiveFrom: input.ratesEffectiveFrom ?? now },
    );
    this.changed();
    return this.get(saved.id, now);
  }

  /**
   * Name, kind, labels and notes change in place. Rates that differ from the version in force become a new version
   * from `ratesEffectiveFrom` (default now); one that starts at that very instant is replaced only while not yet in
   * force, otherwise CONFLICT. Saving unchanged rates without a date adds no version.
   */
  async update(id: string, changes: Partial<NodeInput>, now = new Date()): Promise<NodeView> {
    const existing = await this.get(id, now);
    const current = existing.rates;
    const { node, rates, routing } = validateEveryField({
      name: changes.name ?? existing.node.name,
      kind: changes.kind ?? existing.node.kind,
      labels: changes.labels ?? existing.node.labels,
      hourlyCostUsd: changes.hourlyCostUsd ?? current?.hourlyCostUsd ?? '0',
      energyPriceUsdPerKwh: changes.energyPriceUsdPerKwh ?? current?.energyPriceUsdPerKwh ?? '0',
      powerOverheadFactor: changes.powerOverheadFactor ?? current?.powerOverheadFactor ?? '1',
      notes: changes.notes ?? existing.node.notes,
      ownerTeam: changes.ownerTeam !== undefined ? changes.ownerTeam : existing.node.ownerTeam,
    }, changes.routing ?? {});
    if (node.name !== existing.node.name) await this.refuseTakenName(node.name);
    const { apiKey, ...routingColumns } = routing;
    Object.assign(existing.node, routingColumns);
    if (apiKey !== undefined) existing.node.apiKeyEncrypted = apiKey ? this.apiKeys.seal(apiKey, existing.node.id) : null;
    let version: (NodeRateValues & { id?: string }) | null = null;
    if (changes.ratesEffectiveFrom !== undefined || !current || !sameRates(rates, current)) {
      const effectiveFrom = changes.ratesEffectiveFrom ?? now;
      const sameInstant = await this.repository.findRateVersionAt(existing.node.id, effectiveFrom);
      if (sameInstant && !sameRates(rates, sameInstant)) {
        if (sameInstant.effectiveFrom.getTime() <= now.getTime()) {
          throw new DomainError(
            ErrorCode.Conflict,
            `The rates of this node from ${sameInstant.effectiveFrom.toISOString()} are already in force and are never rewritten: ` +
              'give the new rates a later ratesEffectiveFrom',
          );
        }
        version = { ...rates, effectiveFrom, id: sameInstant.id };
      } else if (!sameInstant) {
        version = { ...rates, effectiveFrom };
      }
    }
    await this.repository.saveWithRates(Object.assign(existing.node, node), version);
    this.changed();
    return this.get(id, now);
  }

  /** Every node with a base URL, its key opened: what the gateway routes over (it caches this). */
  async routableNodes(): Promise<RoutableNode[]> {
    const nodes = await this.repository.findAll();
    return nodes
      .filter((node) => node.baseUrl)
      .map((node) => ({
        id: node.id,
        name: node.name,
        kind: node.kind,
        baseUrl: node.baseUrl!,
        apiKey: this.apiKeys.open(node.apiKeyEncrypted, node.id),
        location: node.location,
        models: [...new Set([...(node.declaredModels ?? []), ...(node.discoveredModels ?? [])])],
        enabled: node.enabled,
        routingPreference: node.routingPreference,
        healthStatus: node.healthStatus,
      }));
  }

  /** Records a health check; only its own columns are written, so an edit made meanwhile is not undone. */
  async recordHealth(id: string, report: NodeHealthReport): Promise<void> {
    await this.repository.updateHealth(id, {
      healthStatus: report.status,
      healthLatencyMs: report.latencyMs,
      healthCheckedAt: report.checkedAt,
      healthError: report.error,
      flaggedModels: report.flaggedModels,
      ...(report.discoveredModels ? { discoveredModels: report.discoveredModels } : {}),
    });
    this.changed();
  }

  async delete(id: string): Promise<NodeView> {
    const existing = await this.get(id);
    await this.repository.delete(id);
    this.changed();
    return existing;
  }

  private async refuseTakenName(name: string): Promise<void> {
    if (await this.repository.findByName(name)) throw new DomainError(ErrorCode.Conflict, `A node named "${name}" already exists`);
  }
}

/** The version in force at `now`; before the first version, the first one (so a form shows what is coming). */
function currentRates(versions: readonly NodeRateVersionEntity[], now: Date): NodeRateVersionEntity | null {
  return versions.filter((version) => version.effectiveFrom.getTime() <= now.getTime()).pop() ?? versions[0] ?? null;
}

function sameRates(first: Omit<NodeRateValues, 'effectiveFrom'>, second: Omit<NodeRateValues, 'effectiveFrom'>): boolean {
  return (Object.keys(rateColumns) as Array<keyof NodeRates>).every(
    (field) => checkDecimalColumn(first[field], rateColumns[field]) === checkDecimalColumn(second[field], rateColumns[field]),
  );
}

/**
 * Every problem of the input at once, each naming its field; returns the values as stored. Rates are checked
 * against their columns exactly: more decimals than the column keeps are refused, never rounded.
 */
export function validateNodeInput(input: NodeInput): {
  node: Pick<NodeEntity, 'name' | 'kind' | 'labels' | 'notes' | 'ownerTeam'>;
  rates: Omit<NodeRateValues, 'effectiveFrom'>;
} {
  const problems: string[] = [];
  const name = input.name.trim();
  if (!namePattern.test(name)) problems.push('name: 1 to 128 characters of letters, digits and . _ : @ / -, starting with a letter or digit');
  if (!(nodeKinds as readonly string[]).includes(input.kind)) problems.push(`kind: must be one of ${nodeKinds.join(', ')}`);
  const labelKeys = Object.keys(input.labels);
  if (labelKeys.length > maxLabels) problems.push(`labels: at most ${maxLabels}`);
  for (const key of labelKeys) {
    if (!/^[A-Za-z0-9._/-]{1,63}$/.test(key)) problems.push(`labels.${key}: a key is 1 to 63 characters of letters, digits and . _ / -`);
    if (typeof input.labels[key] !== 'string' || input.labels[key].length > 256) problems.push(`labels.${key}: a value is a string of at most 256 characters`);
  }
  const rate = (field: keyof NodeRates): string => {
    try {
      return checkDecimalColumn(String(input[field]), rateColumns[field]);
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
      return '0';
    }
  };
  const rates = { hourlyCostUsd: rate('hourlyCostUsd'), energyPriceUsdPerKwh: rate('energyPriceUsdPerKwh'), powerOverheadFactor: rate('powerOverheadFactor') };
  if (input.notes.length > 10_000) problems.push('notes: at most 10,000 characters');
  const ownerTeam = input.ownerTeam?.trim() ? input.ownerTeam.trim() : null;
  if (ownerTeam !== null && ownerTeam.length > 128) problems.push('ownerTeam: at most 128 characters');
  if (input.ratesEffectiveFrom !== undefined && Number.isNaN(input.ratesEffectiveFrom.getTime())) problems.push('ratesEffectiveFrom: must be a date');
  if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join('; '), problems);
  return { node: { name, kind: input.kind as NodeKind, labels: { ...input.labels }, notes: input.notes, ownerTeam }, rates };
}

/** The node's fields and its routing fields checked together: every problem of both named in one error. */
function validateEveryField(input: NodeInput, routing: NodeRoutingInput): ReturnType<typeof validateNodeInput> & { routing: ReturnType<typeof validateRoutingInput> } {
  const problems: string[] = [];
  const attempt = <T>(validate: () => T): T | undefined => {
    try {
      return validate();
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.Validation) throw error;
      problems.push(...(Array.isArray(error.details) ? (error.details as string[]) : [error.message]));
      return undefined;
    }
  };
  const fields = attempt(() => validateNodeInput(input));
  const checkedRouting = attempt(() => validateRoutingInput(routing));
  if (!fields || !checkedRouting) throw new DomainError(ErrorCode.Validation, problems.join('; '), problems);
  return { ...fields, routing: checkedRouting };
}

const maxModels = 1000;

/** The routing fields given, checked (every problem named at once), as stored; absent fields stay absent. */
export function validateRoutingInput(input: NodeRoutingInput): Partial<Pick<NodeEntity, 'baseUrl' | 'location' | 'declaredModels' | 'enabled' | 'routingPreference'>> & {
  apiKey?: string | null;
} {
  const problems: string[] = [];
  const result: ReturnType<typeof validateRoutingInput> = {};
  if (input.baseUrl !== undefined) {
    if (input.baseUrl === null || input.baseUrl.trim() === '') result.baseUrl = null;
    else {
      const text = input.baseUrl.trim().replace(/\/+$/, '');
      let url: URL | null = null;
      try {
        url = new URL(text);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || text.length > 2048 || url.search || url.hash) {
        problems.push('baseUrl: must be an http:// or https:// URL without query or fragment, at most 2048 characters');
      } else result.baseUrl = text;
    }
  }
  if (input.apiKey !== undefined) {
    if (input.apiKey !== null && (input.apiKey.length > 4096 || /[\r\n]/.test(input.apiKey))) problems.push('apiKey: at most 4096 characters, on one line');
    else result.apiKey = input.apiKey === null || input.apiKey === '' ? null : input.apiKey;
  }
  if (input.location !== undefined) {
    if (!(nodeLocations as readonly string[]).includes(input.location)) problems.push(`location: must be one of ${nodeLocations.join(', ')}`);
    else result.location = input.location as NodeLocation;
  }
  if (input.models !== undefined) {
    const models = [...new Set(input.models.map((model) => model.trim()))];
    if (models.length > maxModels) problems.push(`models: at most ${maxModels}`);
    const bad = models.find((model) => model === '' || model.length > 256 || /[\u0000-\u001f]/.test(model));
    if (bad !== undefined) problems.push(`models: each a model name of 1 to 256 characters, got ${JSON.stringify(bad.slice(0, 40))}`);
    if (models.length <= maxModels && bad === undefined) result.declaredModels = models;
  }
  if (input.enabled !== undefined) result.enabled = input.enabled;
  if (input.routingPreference !== undefined) {
    const preference = input.routingPreference;
    if (preference !== null && (!Number.isInteger(preference) || preference < -1_000_000 || preference > 1_000_000)) {
      problems.push('routingPreference: a whole number from -1000000 to 1000000, or null');
    } else result.routingPreference = preference;
  }
  if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join('; '), problems);
  return result;
}
