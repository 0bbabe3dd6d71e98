import { Injectable } from '@nestjs/common';
import { EvaluationsService } from '../evals/evaluations.service';
import { GpuFleetService } from '../gpu/gpu-fleet.service';
import { GpuIdleHotSpotsService } from '../gpu/gpu-idle-hot-spots.service';
import { NodeAgentService } from '../nodes/agent/node-agent.service';
import { NodeService } from '../nodes/nodes.service';
import { DecisionService } from '../policies/decision.service';
import { PoliciesService } from '../policies/policies.service';
import { matchesAnyModelGlob } from '../policies/rules';
import { SpendDimension } from '../usage/models/spend.model';
import { UsageService } from '../usage/usage.service';
import { HallucinationDimension } from '../evals/models/evaluations.model';
import { AlertSignalsRepository } from './alert-signals.repository';
import type { AlertRuleEntity } from './alert.entities';
import type { Observation } from './rules/alert-transitions';
import { budgetObservations, type BudgetBurnParams, type BudgetReading } from './rules/budget-burn';

const minuteMs = 60_000;
const hourMs = 3600_000;

/**
 * Reads what each kind of rule watches, through the owning module's service, and turns it into observations. A
 * failed read throws: the evaluator then leaves that rule's alerts as they are rather than resolving them.
 */
@Injectable()
export class AlertSignalsService {
  constructor(
    private readonly decisions: DecisionService,
    private readonly policies: PoliciesService,
    private readonly usage: UsageService,
    private readonly evaluations: EvaluationsService,
    private readonly fleet: GpuFleetService,
    private readonly idleHot: GpuIdleHotSpotsService,
    private readonly nodes: NodeService,
    private readonly agents: NodeAgentService,
    private readonly signals: AlertSignalsRepository,
  ) {}

  observe(rule: AlertRuleEntity, now: Date): Promise<Observation[]> {
    switch (rule.kind) {
      case 'budget_burn':
        return this.budgetBurn(rule, now);
      case 'hallucination_rate':
        return this.hallucinationRate(rule, now);
      case 'policy_deny_spike':
        return this.policyDenySpike(rule, now);
      case 'gpu_idle':
        return this.gpuIdle(rule, now);
      case 'gpu_hot':
        return this.gpuHot(rule, now);
      case 'node_down':
        return this.nodeDown(rule, now);
      case 'agent_silent':
        return this.agentSilent(rule, now);
    }
  }

  // ---- budget_burn

  /** Every monthly USD budget in force now: the rule's team's, or the organisation's and every team's. */
  async budgetReadings(team: string | null, now: Date): Promise<BudgetReading[]> {
    const teams = team !== null ? [team] : [...new Set((await this.policies.inForceAt(now)).flatMap((policy) => ('team' in policy.document.scope ? [policy.document.scope.team] : [])))];
    // Without a team the organisation's budgets are read once, through any team (or none).
    const askedTeams = team !== null ? teams : ['', ...teams];
    const readings = new Map<string, BudgetReading & { models?: string[] }>();
    for (const asked of askedTeams) {
      // A quota's month is in its own time zone: the months either side of UTC's are asked too, and only the
      // period that contains now is kept.
      for (const month of monthsAround(now)) {
        for (const quota of await this.decisions.monthlyUsdQuotas(asked, month, now)) {
          if (team !== null && quota.scope.kind !== 'team') continue;
          if (!(quota.periodStart.getTime() <= now.getTime() && now.getTime() < quota.periodEnd.getTime())) continue;
          const key = `${quota.policy.name}\u0000${quota.quota}\u0000${quota.scope.subject}`;
          if (readings.has(key)) continue;
          readings.set(key, {
            policy: quota.policy.name,
            quota: quota.quota,
            scopeKind: quota.scope.kind,
            team: quota.scope.subject,
            limitNanoUsd: quota.limitNanoUsd,
            spentNanoUsd: 0n,
            periodStart: quota.periodStart,
            periodEnd: quota.periodEnd,
            models: quota.models,
          });
        }
      }
    }
    for (const reading of readings.values()) {
      reading.spentNanoUsd = await this.spentSince(reading.scopeKind === 'team' ? reading.team : undefined, reading.periodStart, now, reading.models);
    }
    return [...readings.values()];
  }

  private async budgetBurn(rule: AlertRuleEntity, now: Date): Promise<Observation[]> {
    const readings = await this.budgetReadings(rule.team, now);
    return readings.flatMap((reading) => budgetObservations(reading, rule.params as unknown as BudgetBurnParams, now));
  }

  /** Spend in [from, now): whole hours from the hourly rollup, the current hour from the rows. */
  private async spentSince(team: string | undefined, from: Date, now: Date, models: string[] | undefined): Promise<bigint> {
    const hourStart = new Date(Math.floor(now.getTime() / hourMs) * hourMs);
    const ranges: Array<[Date, Date]> = [];
    if (from < hourStart) ranges.push([from, hourStart]);
    const tailStart = from > hourStart ? from : hourStart;
    if (tailStart < now) ranges.push([tailStart, now]);
    let spent = 0n;
    for (const [rangeFrom, rangeTo] of ranges) {
      const rows = await this.usage.spend(rangeFrom, rangeTo, models ? [SpendDimension.MODEL] : [], team !== undefined ? { team } : {});
      for (const row of rows) {
        if (models && !(row.model !== null && matchesAnyModelGlob(row.model, models))) continue;
        spent += BigInt(row.costNanoUsd);
      }
    }
    return spent;
  }

  // ---- hallucination_rate

  private async hallucinationRate(rule: AlertRuleEntity, now: Date): Promise<Observation[]> {
    const params = rule.params as { windowMinutes: number; threshold: number; minScored: number; evaluator: string | null; model: string | null };
    const from = new Date(now.getTime() - params.windowMinutes * minuteMs);
    const filter = {
      ...(rule.team ? { team: rule.team } : {}),
      ...(rule.node ? { node: rule.node } : {}),
      ...(params.evaluator ? { evaluator: params.evaluator } : {}),
      ...(params.model ? { model: params.model } : {}),
    };
    const rows = await this.evaluations.hallucinationRate(from, now, [HallucinationDimension.MODEL], filter);
    return rows.map((row) => ({
      labels: { model: row.model ?? '', ...scopeLabels(rule) },
      value: row.rate ?? 0,
      threshold: params.threshold,
      holds: row.rate !== null && row.scored >= params.minScored && row.rate > params.threshold,
      summary: `${row.model}: ${row.hallucinated} of ${row.scored} scored requests hallucinated (${((row.rate ?? 0) * 100).toFixed(1)}%) in the last ${params.windowMinutes} min, over ${(params.threshold * 100).toFixed(1)}%`,
    }));
  }

  // ---- policy_deny_spike

  private async policyDenySpike(rule: AlertRuleEntity, now: Date): Promise<Observation[]> {
    const params = rule.params as { windowMinutes: number; threshold: number; reason: string | null };
    const from = new Date(now.getTime() - params.windowMinutes * minuteMs);
    const rows = await this.signals.denialsByTeam(from, now, { team: rule.team ?? undefined, reason: params.reason ?? undefined });
    return rows.map((row) => ({
      labels: { team: row.team, ...(params.reason ? { reason: params.reason } : {}) },
      value: row.denials,
      threshold: params.threshold,
      holds: row.denials >= params.threshold,
      summary: `Team ${row.team}: ${row.denials} requests refused${params.reason ? ` (${params.reason})` : ''} in the last ${params.windowMinutes} min (threshold ${params.threshold})`,
    }));
  }

  // ---- gpu_idle, gpu_hot

  private async gpuIdle(rule: AlertRuleEntity, now: Date): Promise<Observation[]> {
    const params = rule.params as { windowHours: number; utilizationBelowPercent: number };
    const answer = await this.idleHot.idleGpus(now, params.windowHours, params.utilizationBelowPercent / 100, rule.node ? { nodes: [rule.node] } : undefined);
    return answer.gpus.map((gpu) => ({
      labels: { node: gpu.node, gpu: gpu.migInstance ? `${gpu.gpuUuid}/${gpu.migInstance}` : gpu.gpuUuid },
      value: gpu.averageUtilizationRatio * 100,
      threshold: params.utilizationBelowPercent,
      holds: true,
      summary: `${gpu.node} GPU ${gpu.gpuIndex} (${gpu.gpuName}) averaged ${(gpu.averageUtilizationRatio * 100).toFixed(1)}% utilisation over ${params.windowHours} h, under ${params.utilizationBelowPercent}%`,
    }));
  }

  private async gpuHot(rule: AlertRuleEntity, now: Date): Promise<Observation[]> {
    const params = rule.params as { windowMinutes: number; temperatureAboveCelsius: number };
    const from = new Date(now.getTime() - params.windowMinutes * minuteMs);
    const answer = await this.idleHot.hotSpots(from, now, params.temperatureAboveCelsius, rule.node ? { nodes: [rule.node] } : undefined);
    return answer.gpus
      .filter((gpu) => gpu.reasons.includes('TEMPERATURE') && gpu.maxTemperatureCelsius !== null)
      .map((gpu) => ({
        labels: { node: gpu.node, gpu: gpu.migInstance ? `${gpu.gpuUuid}/${gpu.migInstance}` : gpu.gpuUuid },
        value: gpu.maxTemperatureCelsius!,
        threshold: params.temperatureAboveCelsius,
        holds: true,
        summary: `${gpu.node} GPU ${gpu.gpuIndex} (${gpu.gpuName}) reached ${gpu.maxTemperatureCelsius} °C in the last ${params.windowMinutes} min, over ${params.temperatureAboveCelsius} °C`,
      }));
  }

  // ---- node_down, agent_silent

  /**
   * A registered node is down when its node agent reports the engine down, or when nothing at all came from it in
   * the window: no heartbeat, no GPU sample and no request served. A node registered within the window is given the
   * window to report first.
   */
  private async nodeDown(rule: AlertRuleEntity, now: Date): Promise<Observation[]> {
    const params = rule.params as { windowMinutes: number };
    const windowStart = new Date(now.getTime() - params.windowMinutes * minuteMs);
    const heartbeats = await this.agents.allHeartbeats();
    const heardFrom = (nodeId: string) => (heartbeats.get(nodeId)?.receivedAt.getTime() ?? -Infinity) >= windowStart.getTime();
    // A heartbeat is a report: a node heard from is judged at once, whenever it was registered.
    const registered = (await this.nodes.findAll()).filter(
      (node) => (rule.node ? node.name === rule.node : true) && (node.createdAt.getTime() <= windowStart.getTime() || heardFrom(node.id)),
    );
    if (registered.length === 0) return [];
    const [lastSamples, requests] = await Promise.all([
      this.lastGpuSampleByNode(now, params.windowMinutes, registered.map((node) => node.name)),
      this.usage.spend(windowStart, now, [SpendDimension.NODE], rule.node ? { node: rule.node } : {}),
    ]);
    const served = new Set(requests.filter((row) => row.requests > 0 && row.node !== null).map((row) => row.node!));
    return registered.map((node) => {
      const lastSample = lastSamples.get(node.name);
      const heartbeat = heartbeats.get(node.id);
      const recentHeartbeat = heartbeat !== undefined && heartbeat.receivedAt.getTime() >= windowStart.getTime() ? heartbeat : undefined;
      const engineDown = recentHeartbeat !== undefined && !recentHeartbeat.engineUp;
      const reporting = (lastSample !== undefined && lastSample.getTime() >= windowStart.getTime()) || served.has(node.name) || recentHeartbeat !== undefined;
      const lastSeen = [lastSample?.getTime(), heartbeat?.receivedAt.getTime()].filter((time): time is number => time !== undefined);
      const silentMinutes = lastSeen.length > 0 ? (now.getTime() - Math.max(...lastSeen)) / minuteMs : params.windowMinutes;
      return {
        labels: { node: node.name },
        value: engineDown ? 0 : reporting ? 0 : Math.round(silentMinutes),
        threshold: params.windowMinutes,
        holds: engineDown || !reporting,
        summary: engineDown
          ? `Node ${node.name}: its agent reports the engine down${recentHeartbeat.engineError ? ` (${recentHeartbeat.engineError.slice(0, 200)})` : ''}`
          : `Node ${node.name}: no heartbeat, GPU sample or request for ${params.windowMinutes} min${lastSample ? ` (last GPU sample ${lastSample.toISOString()})` : ''}`,
      };
    });
  }

  /**
   * An agent that reported and then went quiet for the window: the node agent (its heartbeats) or the GPU exporter
   * (GPU samples seen in the last day, none within the window). Each agent is its own alert.
   */
  private async agentSilent(rule: AlertRuleEntity, now: Date): Promise<Observation[]> {
    const params = rule.params as { windowMinutes: number };
    const windowStart = new Date(now.getTime() - params.windowMinutes * minuteMs);
    const [lastSamples, heartbeats, nodes] = await Promise.all([
      this.lastGpuSampleByNode(now, params.windowMinutes, rule.node ? [rule.node] : undefined),
      this.agents.allHeartbeats(),
      this.nodes.findAll(),
    ]);
    const observe = (node: string, agent: string, last: Date): Observation => ({
      labels: { node, agent },
      value: Math.round((now.getTime() - last.getTime()) / minuteMs),
      threshold: params.windowMinutes,
      holds: last.getTime() < windowStart.getTime(),
      summary: `${agent === 'node-agent' ? 'Node agent' : 'GPU exporter'} on ${node} silent since ${last.toISOString()} (over ${params.windowMinutes} min)`,
    });
    const observations = [...lastSamples].map(([node, lastSample]) => observe(node, 'gpu-exporter', lastSample));
    for (const node of nodes) {
      const heartbeat = heartbeats.get(node.id);
      if (!heartbeat || (rule.node && node.name !== rule.node)) continue;
      observations.push(observe(node.name, 'node-agent', heartbeat.receivedAt));
    }
    return observations;
  }

  /** The latest GPU sample per node over the last day (the fleet's inventory window). */
  private async lastGpuSampleByNode(now: Date, staleAfterMinutes: number, nodes?: string[]): Promise<Map<string, Date>> {
    const fleet = await this.fleet.fleet({ at: now, staleAfterMinutes, idleBelowRatio: 0.05, hotAboveCelsius: 85, filter: nodes ? { nodes } : undefined });
    const latest = new Map<string, Date>();
    for (const tile of fleet.tiles) {
      const seen = latest.get(tile.node);
      if (!seen || tile.lastSeen > seen) latest.set(tile.node, tile.lastSeen);
    }
    return latest;
  }
}

function scopeLabels(rule: AlertRuleEntity): Record<string, string> {
  return { ...(rule.team ? { team: rule.team } : {}), ...(rule.node ? { node: rule.node } : {}) };
}

/** The UTC month of `now` and the months either side, as YYYY-MM. */
function monthsAround(now: Date): string[] {
  return [-1, 0, 1].map((offset) => {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
    return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}
