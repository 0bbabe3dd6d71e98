import { describe, expect, it } from 'vitest';
import { mergeAllInSpend, ownedIdlePieces, piecesOfShares, splitShares, type SubUnit } from '../../../../server/src/modules/chargeback/all-in-spend';
import { allocateOnPremCost, type ModelHourTokens, type NodeRateVersionInHours } from '../../../../server/src/modules/gpu/gpu-cost';
import { SpendDimension, type SpendRowModel } from '../../../../server/src/modules/usage/models/spend.model';

const hour = Date.parse('2026-03-02T10:00:00Z');
const weights = { inputMilli: 1000n, outputMilli: 4000n };
const rates = (hourly: bigint): NodeRateVersionInHours[] => [{ fromHourMs: hour - 86_400_000, rates: { hourlyCostNanoUsd: hourly, energyPriceNanoUsdPerKwh: 150_000_000n, powerOverheadMilli: 1200n } }];

/** A small deterministic generator, so a failure is reproducible. */
function random(seed: number) {
  let state = seed;
  return (limit: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % limit;
  };
}

describe('allocation of node-hours to teams', () => {
  it('team shares add up exactly to each node-hour cost, over many random hours (BigInt)', () => {
    const next = random(42);
    const teams = ['ml', 'search', 'platform', 'ads', 'legal'];
    const tokens: Array<ModelHourTokens & { team: string; provider: string }> = [];
    for (let index = 0; index < 48; index += 1) {
      for (const node of ['a', 'b', 'c']) {
        for (const team of teams) {
          if (next(3) === 0) continue;
          tokens.push({ hourMs: hour + index * 3600_000, node, team, provider: 'vllm', model: `m${next(3)}`, requests: 1n, inputTokens: BigInt(next(100_000)), outputTokens: BigInt(next(7_777)) });
        }
      }
    }
    const power = tokens.map((unit) => ({ hourMs: unit.hourMs, node: unit.node, gpuUuid: `${unit.node}-0`, milliwattsSum: BigInt(300_123 + next(999)), samples: 1n + BigInt(next(3)) }));
    const allocation = allocateOnPremCost(new Map([['a', rates(2_500_000_001n)], ['b', rates(1_100_000_000n)], ['c', rates(333_333_333n)]]), power, tokens, weights);
    const busy = allocation.nodeHours.filter((nodeHour) => !nodeHour.idle);
    expect(busy.length).toBeGreaterThan(100);
    for (const nodeHour of busy) {
      const byTeam = new Map<string, bigint>();
      for (const share of allocation.shares.filter((candidate) => candidate.unit.node === nodeHour.node && candidate.unit.hourMs === nodeHour.hourMs)) {
        byTeam.set(share.unit.team, (byTeam.get(share.unit.team) ?? 0n) + share.shareNanoUsd);
        expect(share.inputShareNanoUsd + share.outputShareNanoUsd).toBe(share.shareNanoUsd);
      }
      expect([...byTeam.values()].reduce((sum, value) => sum + value, 0n)).toBe(nodeHour.costNanoUsd);
    }
    // Split again by user, the parts add up to each unit's share.
    const subUnits: SubUnit[] = allocation.shares.flatMap(({ unit }) =>
      ['u1', 'u2', 'u3'].map((user, index) => ({ ...unit, user, inRange: true, inputTokens: unit.inputTokens / 3n + BigInt(index), outputTokens: unit.outputTokens / 3n })),
    );
    const pieces = splitShares(allocation.shares, subUnits, weights, new Date('2030-01-01T00:00:00Z'));
    expect(pieces.reduce((sum, piece) => sum + piece.costNanoUsd, 0n)).toBe(busy.reduce((sum, nodeHour) => sum + nodeHour.costNanoUsd, 0n));
  });

  it('marks the pieces of an hour not yet closed as estimated', () => {
    const allocation = allocateOnPremCost(new Map([['a', rates(1_000_000_000n)]]), [], [{ hourMs: hour, node: 'a', team: 'ml', provider: 'vllm', model: 'm', requests: 1n, inputTokens: 10n, outputTokens: 10n }], weights);
    expect(piecesOfShares(allocation.shares, new Date('2026-03-02T10:59:59Z'))[0]).toMatchObject({ estimated: true, costNanoUsd: 1_000_000_000n });
    expect(piecesOfShares(allocation.shares, new Date('2026-03-02T11:00:00Z'))[0]).toMatchObject({ estimated: false });
  });

  it("adds pieces to the API rows of their group and shows owned idle hours as their team's own line", () => {
    const apiRow: SpendRowModel = {
      team: 'ml', model: null, provider: null, node: null, user: null, day: null, hour: null, requests: 3, errors: 0, inputTokens: 30, outputTokens: 3, cachedInputTokens: 0,
      costUsd: 0.5, costNanoUsd: '500000000', unpricedRequests: 0, latencyP50Ms: null, latencyP95Ms: null,
      onPremCostUsd: '0', onPremCostNanoUsd: '0', totalCostUsd: '0.5', totalCostNanoUsd: '500000000', estimated: false, idle: false,
    };
    const piece = { hourMs: hour, node: 'a', team: 'ml', model: 'm', provider: 'vllm', user: '', costNanoUsd: 250_000_000n, estimated: false };
    const idle = ownedIdlePieces(
      [{ hourMs: hour, node: 'b', hourlyCostNanoUsd: 1n, energyCostNanoUsd: 0n, energyKwh: 0, costNanoUsd: 1_000_000_001n, idle: true }],
      new Map([['b', 'platform']]), new Date(hour), new Date(hour + 3600_000), new Date(hour + 7200_000),
    );
    const rows = mergeAllInSpend([apiRow], [piece], idle, [SpendDimension.TEAM], {});
    expect(rows.map((row) => [row.team, row.idle, row.costNanoUsd, row.onPremCostUsd, row.totalCostUsd])).toEqual([
      ['ml', false, '500000000', '0.25', '0.75'],
      ['platform', true, '0', '1.000000001', '1.000000001'],
    ]);
    // Grouped by model only, idle hours have no owner to go to.
    expect(mergeAllInSpend([], [piece], idle, [SpendDimension.MODEL], {}).some((row) => row.idle)).toBe(false);
    // A filter on another team keeps neither.
    expect(mergeAllInSpend([], [piece], idle, [SpendDimension.TEAM], { team: 'search' })).toEqual([]);
  });
});
