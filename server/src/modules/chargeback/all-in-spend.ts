import { formatNanoUsd } from '../../engine/money/exact-decimal';
import { allocateByWeight, type NodeHourCost, type TokenWeights, type UnitShare } from '../gpu/gpu-cost';
import { SpendDimension, type SpendFilter, type SpendRowModel } from '../usage/models/spend.model';

/*
 * All-in spend: the rows of `spend` (hosted API cost) plus the GPU cost of registered nodes, as the one allocation
 * (gpu-cost.ts) gives it per unit (hour, node, team, model, provider). A row's onPremCost is the exact sum of the
 * shares of the units it groups, so any grouping adds up to the same node-hour costs, to the nano-USD.
 */

const hourMs = 3600_000;
const dayMs = 24 * hourMs;

/** One piece of allocated cost, with every dimension a spend row can be grouped or filtered by. */
export interface CostPiece {
  hourMs: number;
  node: string;
  team: string;
  model: string;
  provider: string;
  /** '' when the split was not by user. */
  user: string;
  costNanoUsd: bigint;
  /** From an hour not yet closed. */
  estimated: boolean;
}

/** A unit split further, from the request rows: by user and by lying in the asked range. */
export interface SubUnit {
  hourMs: number;
  node: string;
  team: string;
  model: string;
  provider: string;
  user: string;
  inRange: boolean;
  inputTokens: bigint;
  outputTokens: bigint;
}

interface UnitKeyed {
  hourMs: number;
  node: string;
  team?: string;
  model: string;
  provider?: string;
}

const unitKey = (unit: UnitKeyed) => `${unit.hourMs}\u0000${unit.node}\u0000${unit.team ?? ''}\u0000${unit.model}\u0000${unit.provider ?? ''}`;

/** An hour is closed once it has ended; until then its cost is an estimate from the hour so far. */
export const hourIsOpen = (hourStartMs: number, now: Date) => hourStartMs + hourMs > now.getTime();

/** The shares as pieces, whole units (no user, every request of the hour in range). */
export function piecesOfShares(shares: ReadonlyArray<UnitShare>, now: Date): CostPiece[] {
  return shares.map(({ unit, shareNanoUsd }) => ({
    hourMs: unit.hourMs,
    node: unit.node,
    team: unit.team ?? '',
    model: unit.model,
    provider: unit.provider ?? '',
    user: '',
    costNanoUsd: shareNanoUsd,
    estimated: hourIsOpen(unit.hourMs, now),
  }));
}

/**
 * Each unit's share split over its sub-units by weighted tokens, by largest remainder, so the parts add up to the
 * share exactly; only the parts in range are kept. A unit whose sub-units weigh nothing (rows still merging) keeps
 * its share whole on its first sub-unit, so nothing is lost.
 */
export function splitShares(shares: ReadonlyArray<UnitShare>, subUnits: readonly SubUnit[], weights: TokenWeights, now: Date): CostPiece[] {
  const byUnit = new Map<string, SubUnit[]>();
  for (const sub of subUnits) {
    const key = unitKey(sub);
    let list = byUnit.get(key);
    if (!list) byUnit.set(key, (list = []));
    list.push(sub);
  }
  const pieces: CostPiece[] = [];
  for (const { unit, shareNanoUsd } of shares) {
    const subs = (byUnit.get(unitKey(unit)) ?? []).slice().sort((first, second) => first.user.localeCompare(second.user) || Number(second.inRange) - Number(first.inRange));
    if (subs.length === 0) continue;
    const subWeights = subs.map((sub) => sub.inputTokens * weights.inputMilli + sub.outputTokens * weights.outputMilli);
    const parts = subWeights.some((weight) => weight > 0n) ? allocateByWeight(shareNanoUsd, subWeights) : subs.map((_, index) => (index === 0 ? shareNanoUsd : 0n));
    subs.forEach((sub, index) => {
      if (!sub.inRange || parts[index] === 0n) return;
      pieces.push({
        hourMs: sub.hourMs, node: sub.node, team: sub.team, model: sub.model, provider: sub.provider, user: sub.user,
        costNanoUsd: parts[index], estimated: hourIsOpen(sub.hourMs, now),
      });
    });
  }
  return pieces;
}

/** Idle node-hours of nodes with an owner team, as pieces of that team (no model, provider or user). */
export function ownedIdlePieces(nodeHours: readonly NodeHourCost[], ownerTeams: ReadonlyMap<string, string | null>, from: Date, to: Date, now: Date): CostPiece[] {
  return nodeHours
    .filter((hour) => hour.idle && ownerTeams.get(hour.node) && hour.hourMs + hourMs > from.getTime() && hour.hourMs < to.getTime())
    .map((hour) => ({
      hourMs: hour.hourMs, node: hour.node, team: ownerTeams.get(hour.node)!, model: '', provider: '', user: '',
      costNanoUsd: hour.costNanoUsd, estimated: hourIsOpen(hour.hourMs, now),
    }));
}

function matchesFilter(piece: CostPiece, filter: SpendFilter): boolean {
  return (['team', 'model', 'provider', 'node', 'user'] as const).every((field) => filter[field] === undefined || filter[field] === null || piece[field] === filter[field]);
}

function keyOfPiece(piece: CostPiece, groupBy: readonly SpendDimension[]): string {
  return groupBy
    .map((dimension) => {
      switch (dimension) {
        case SpendDimension.DAY: return String(Math.floor(piece.hourMs / dayMs) * dayMs);
        case SpendDimension.HOUR: return String(piece.hourMs);
        case SpendDimension.TEAM: return piece.team;
        case SpendDimension.MODEL: return piece.model;
        case SpendDimension.PROVIDER: return piece.provider;
        case SpendDimension.NODE: return piece.node;
        case SpendDimension.USER: return piece.user;
      }
    })
    .join('\u0000');
}

function keyOfRow(row: SpendRowModel, groupBy: readonly SpendDimension[]): string {
  return groupBy
    .map((dimension) => {
      switch (dimension) {
        case SpendDimension.DAY: return String(row.day?.getTime() ?? '');
        case SpendDimension.HOUR: return String(row.hour?.getTime() ?? '');
        case SpendDimension.TEAM: return row.team ?? '';
        case SpendDimension.MODEL: return row.model ?? '';
        case SpendDimension.PROVIDER: return row.provider ?? '';
        case SpendDimension.NODE: return row.node ?? '';
        case SpendDimension.USER: return row.user ?? '';
      }
    })
    .join('\u0000');
}

function emptyRow(piece: CostPiece, groupBy: readonly SpendDimension[], idle: boolean): SpendRowModel {
  const has = (dimension: SpendDimension) => groupBy.includes(dimension);
  return {
    team: has(SpendDimension.TEAM) ? piece.team : null,
    model: has(SpendDimension.MODEL) && !idle ? piece.model : null,
    provider: has(SpendDimension.PROVIDER) && !idle ? piece.provider : null,
    node: has(SpendDimension.NODE) ? piece.node : null,
    user: has(SpendDimension.USER) && !idle ? piece.user : null,
    day: has(SpendDimension.DAY) ? new Date(Math.floor(piece.hourMs / dayMs) * dayMs) : null,
    hour: has(SpendDimension.HOUR) ? new Date(piece.hourMs) : null,
    requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0,
    costUsd: 0, costNanoUsd: '0', unpricedRequests: 0, latencyP50Ms: null, latencyP95Ms: null,
    onPremCostUsd: '0', onPremCostNanoUsd: '0', totalCostUsd: '0', totalCostNanoUsd: '0', estimated: false, idle,
  };
}

function withOnPrem(row: SpendRowModel, onPremNanoUsd: bigint, estimated: boolean): SpendRowModel {
  const total = BigInt(row.costNanoUsd) + onPremNanoUsd;
  return {
    ...row,
    onPremCostUsd: formatNanoUsd(onPremNanoUsd),
    onPremCostNanoUsd: onPremNanoUsd.toString(),
    totalCostUsd: formatNanoUsd(total),
    totalCostNanoUsd: total.toString(),
    estimated,
  };
}

/**
 * Adds the allocated pieces to the API rows of the same group (a group with GPU cost but no API row gets one), and,
 * when grouped by team, each owner team's idle pieces as lines of their own (`idle: true`). Pieces outside the filter
 * are left out. Rows keep the order time first, then the largest total.
 */
export function mergeAllInSpend(
  apiRows: readonly SpendRowModel[],
  allocated: readonly CostPiece[],
  ownedIdle: readonly CostPiece[],
  groupBy: readonly SpendDimension[],
  filter: SpendFilter,
): SpendRowModel[] {
  const sums = new Map<string, { nano: bigint; estimated: boolean; piece: CostPiece }>();
  for (const piece of allocated) {
    if (!matchesFilter(piece, filter)) continue;
    const key = keyOfPiece(piece, groupBy);
    const sum = sums.get(key);
    if (sum) {
      sum.nano += piece.costNanoUsd;
      sum.estimated ||= piece.estimated;
    } else sums.set(key, { nano: piece.costNanoUsd, estimated: piece.estimated, piece });
  }
  const rows = apiRows.map((row) => {
    const key = keyOfRow(row, groupBy);
    const sum = sums.get(key);
    sums.delete(key);
    return withOnPrem(row, sum?.nano ?? 0n, sum?.estimated ?? false);
  });
  for (const sum of sums.values()) rows.push(withOnPrem(emptyRow(sum.piece, groupBy, false), sum.nano, sum.estimated));

  // Idle has no model, provider or user: a filter on one of them, or no team grouping, shows no idle line.
  const idleShown = groupBy.includes(SpendDimension.TEAM) && !filter.model && !filter.provider && !filter.user;
  if (idleShown) {
    const idleSums = new Map<string, { nano: bigint; estimated: boolean; piece: CostPiece }>();
    for (const piece of ownedIdle) {
      if (!matchesFilter(piece, filter)) continue;
      const key = keyOfPiece(piece, groupBy.filter((dimension) => dimension !== SpendDimension.MODEL && dimension !== SpendDimension.PROVIDER && dimension !== SpendDimension.USER));
      const sum = idleSums.get(key);
      if (sum) {
        sum.nano += piece.costNanoUsd;
        sum.estimated ||= piece.estimated;
      } else idleSums.set(key, { nano: piece.costNanoUsd, estimated: piece.estimated, piece });
    }
    for (const sum of idleSums.values()) rows.push(withOnPrem(emptyRow(sum.piece, groupBy, true), sum.nano, sum.estimated));
  }
  const timeOf = (row: SpendRowModel) => row.day?.getTime() ?? row.hour?.getTime() ?? 0;
  return rows.sort((first, second) => {
    const byTime = groupBy.includes(SpendDimension.DAY) || groupBy.includes(SpendDimension.HOUR) ? timeOf(first) - timeOf(second) : 0;
    if (byTime !== 0) return byTime;
    if (first.idle !== second.idle) return first.idle ? 1 : -1;
    const difference = BigInt(second.totalCostNanoUsd) - BigInt(first.totalCostNanoUsd);
    return difference > 0n ? 1 : difference < 0n ? -1 : 0;
  });
}
