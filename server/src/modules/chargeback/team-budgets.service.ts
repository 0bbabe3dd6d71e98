import { Injectable } from '@nestjs/common';
import { formatNanoUsd } from '../../engine/money/exact-decimal';
import { DecisionService } from '../policies/decision.service';
import { PoliciesService } from '../policies/policies.service';
import { SpendDimension } from '../usage/models/spend.model';
import { AllInSpendService } from './all-in-spend.service';
import { forecastMonth, monthBounds } from './budget-forecast';
import type { TeamBudgetModel } from './models/chargeback.model';

interface TeamMonth {
  daily: Map<number, bigint>;
  api: bigint;
  onPrem: bigint;
  estimated: boolean;
}

/** Per team and month: all-in spend so far, the USD limit its policies set, and where the month is heading. */
@Injectable()
export class TeamBudgetsService {
  constructor(
    private readonly allIn: AllInSpendService,
    private readonly decisions: DecisionService,
    private readonly policies: PoliciesService,
  ) {}

  async teamBudgets(month: string, now = new Date()): Promise<TeamBudgetModel[]> {
    const { start, end } = monthBounds(month);
    const rows = await this.allIn.spend(start, end, [SpendDimension.TEAM, SpendDimension.DAY], {}, now);
    const teams = new Map<string, TeamMonth>();
    const teamOf = (team: string) => {
      let found = teams.get(team);
      if (!found) teams.set(team, (found = { daily: new Map(), api: 0n, onPrem: 0n, estimated: false }));
      return found;
    };
    for (const row of rows) {
      const team = teamOf(row.team ?? '');
      const day = row.day!.getTime();
      team.daily.set(day, (team.daily.get(day) ?? 0n) + BigInt(row.totalCostNanoUsd));
      team.api += BigInt(row.costNanoUsd);
      team.onPrem += BigInt(row.onPremCostNanoUsd);
      team.estimated ||= row.estimated;
    }
    // A team with a budget but nothing spent yet is shown too: its bar is the limit alone.
    const policies = await this.policies.inForceAt(new Date(Math.min(now.getTime(), end.getTime() - 1)));
    for (const policy of policies) {
      const scope = policy.document.scope;
      if ('team' in scope && policy.document.quotas.some((quota) => quota.metric === 'costUsd' && quota.period === 'month')) teamOf(scope.team);
    }
    const budgets: TeamBudgetModel[] = [];
    for (const [team, figures] of [...teams.entries()].sort(([first], [second]) => first.localeCompare(second))) {
      const quotas = (await this.decisions.monthlyUsdQuotas(team, month, now)).filter((quota) => !quota.models || quota.models.length === 0);
      const tightest = quotas.reduce<(typeof quotas)[number] | null>((least, quota) => (least === null || quota.limitNanoUsd < least.limitNanoUsd ? quota : least), null);
      const forecast = forecastMonth(month, figures.daily, tightest?.limitNanoUsd ?? null, now);
      budgets.push({
        team,
        month,
        spentUsd: formatNanoUsd(forecast.spentNanoUsd),
        apiCostUsd: formatNanoUsd(figures.api),
        onPremCostUsd: formatNanoUsd(figures.onPrem),
        limitUsd: tightest ? formatNanoUsd(tightest.limitNanoUsd) : null,
        limitSource: tightest ? `${tightest.policy.name}/${tightest.quota}` : null,
        forecastUsd: formatNanoUsd(forecast.forecastNanoUsd),
        forecastLowUsd: formatNanoUsd(forecast.forecastLowNanoUsd),
        forecastHighUsd: formatNanoUsd(forecast.forecastHighNanoUsd),
        projectedOverrun: forecast.projectedOverrun,
        overrunDate: forecast.overrunDate,
        includesEstimate: figures.estimated,
      });
    }
    return budgets;
  }
}
