import { formatNanoUsd } from '../../engine/money/exact-decimal';
import type { SpendRowModel } from '../usage/models/spend.model';

/*
 * The chargeback report of a month: per team, hosted API cost by provider and model, on-prem cost by node, the idle
 * cost of the nodes it owns, and its total. Built only from all-in `spend` rows of the month, so every figure is the
 * dashboard's own, to the nano-USD; amounts are exact decimals in the CSV and the HTML.
 */

export type ChargebackCategory = 'api' | 'on-prem' | 'idle';

export interface ChargebackLine {
  category: ChargebackCategory;
  provider: string;
  model: string;
  node: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costNanoUsd: string;
}

export interface ChargebackTeam {
  team: string;
  apiCostNanoUsd: string;
  onPremCostNanoUsd: string;
  idleCostNanoUsd: string;
  totalCostNanoUsd: string;
  lines: ChargebackLine[];
}

export interface ChargebackReportData {
  month: string;
  from: string;
  to: string;
  generatedAt: string;
  /** Part of the on-prem cost comes from an hour not yet closed (the current month). */
  includesEstimate: boolean;
  totalCostNanoUsd: string;
  teams: ChargebackTeam[];
}

interface TeamSums {
  api: bigint;
  onPrem: bigint;
  idle: bigint;
  lines: ChargebackLine[];
}

/**
 * `byProviderModel`: spend grouped by [TEAM, PROVIDER, MODEL]; `byNode`: by [TEAM, NODE] (with the owner teams'
 * idle lines). API lines carry costUsd, on-prem lines onPremCost of non-idle rows, idle lines the idle rows.
 */
export function buildChargebackReport(
  month: string,
  range: { from: Date; to: Date },
  byProviderModel: readonly SpendRowModel[],
  byNode: readonly SpendRowModel[],
  generatedAt: Date,
): ChargebackReportData {
  const teams = new Map<string, TeamSums>();
  const teamOf = (name: string | null) => {
    const key = name ?? '';
    let sums = teams.get(key);
    if (!sums) teams.set(key, (sums = { api: 0n, onPrem: 0n, idle: 0n, lines: [] }));
    return sums;
  };
  let includesEstimate = false;
  for (const row of byProviderModel) {
    const cost = BigInt(row.costNanoUsd);
    if (cost === 0n && row.unpricedRequests === 0) continue;
    const sums = teamOf(row.team);
    sums.api += cost;
    sums.lines.push({ category: 'api', provider: row.provider ?? '', model: row.model ?? '', node: '', requests: row.requests, inputTokens: row.inputTokens, outputTokens: row.outputTokens, costNanoUsd: cost.toString() });
  }
  for (const row of byNode) {
    const cost = BigInt(row.onPremCostNanoUsd);
    if (cost === 0n) continue;
    includesEstimate ||= row.estimated;
    const sums = teamOf(row.team);
    if (row.idle) sums.idle += cost;
    else sums.onPrem += cost;
    sums.lines.push({
      category: row.idle ? 'idle' : 'on-prem', provider: '', model: '', node: row.node ?? '',
      requests: row.idle ? 0 : row.requests, inputTokens: row.idle ? 0 : row.inputTokens, outputTokens: row.idle ? 0 : row.outputTokens, costNanoUsd: cost.toString(),
    });
  }
  const categoryOrder: Record<ChargebackCategory, number> = { api: 0, 'on-prem': 1, idle: 2 };
  const result = [...teams.entries()]
    .map(([team, sums]) => ({
      team,
      apiCostNanoUsd: sums.api.toString(),
      onPremCostNanoUsd: sums.onPrem.toString(),
      idleCostNanoUsd: sums.idle.toString(),
      totalCostNanoUsd: (sums.api + sums.onPrem + sums.idle).toString(),
      lines: sums.lines.sort(
        (first, second) =>
          categoryOrder[first.category] - categoryOrder[second.category] ||
          compareNano(second.costNanoUsd, first.costNanoUsd) ||
          `${first.provider}/${first.model}/${first.node}`.localeCompare(`${second.provider}/${second.model}/${second.node}`),
      ),
    }))
    .sort((first, second) => compareNano(second.totalCostNanoUsd, first.totalCostNanoUsd) || first.team.localeCompare(second.team));
  return {
    month,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    generatedAt: generatedAt.toISOString(),
    includesEstimate,
    totalCostNanoUsd: result.reduce((sum, team) => sum + BigInt(team.totalCostNanoUsd), 0n).toString(),
    teams: result,
  };
}

function compareNano(first: string, second: string): number {
  const difference = BigInt(first) - BigInt(second);
  return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}

export const chargebackCsvHeader = ['month', 'team', 'category', 'provider', 'model', 'node', 'requests', 'input_tokens', 'output_tokens', 'cost_usd'];

/** One field: quoted when it holds a separator, and a leading formula character neutralised (spreadsheets run them). */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line per API model, node and idle node of each team, then the team's `total` line; amounts exact. */
export function chargebackCsv(report: ChargebackReportData): string {
  const lines = [chargebackCsvHeader.join(',')];
  for (const team of report.teams) {
    for (const line of team.lines) {
      lines.push([report.month, team.team, line.category, line.provider, line.model, line.node, line.requests, line.inputTokens, line.outputTokens, formatNanoUsd(BigInt(line.costNanoUsd))].map(csvField).join(','));
    }
    lines.push([report.month, team.team, 'total', '', '', '', '', '', '', formatNanoUsd(BigInt(team.totalCostNanoUsd))].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
const usd = (nano: string) => {
  // Shown to the cent, exactly rounded half-up; the CSV keeps every decimal.
  const value = BigInt(nano);
  const cents = (value * 2n + (value < 0n ? -10_000_000n : 10_000_000n)) / 20_000_000n;
  const sign = cents < 0n ? '-' : '';
  const magnitude = cents < 0n ? -cents : cents;
  return `${sign}$${(magnitude / 100n).toLocaleString('en-US')}.${String(magnitude % 100n).padStart(2, '0')}`;
};

/** A printable page: one table per team, totals, and what each figure contains. */
export function chargebackHtml(report: ChargebackReportData): string {
  const sections = report.teams.map((team) => {
    const rows = team.lines
      .map(
        (line) =>
          `<tr><td>${escapeHtml(line.category)}</td><td>${escapeHtml(line.category === 'api' ? `${line.provider} / ${line.model}` : line.node)}</td>` +
          `<td class="n">${line.requests.toLocaleString('en-US')}</td><td class="n">${usd(line.costNanoUsd)}</td></tr>`,
      )
      .join('\n');
    return `<section><h2>${escapeHtml(team.team || '(no team)')}</h2>
<table><thead><tr><th>Category</th><th>Provider / model or node</th><th class="n">Requests</th><th class="n">Cost</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>
<tr><td colspan="3">Hosted APIs</td><td class="n">${usd(team.apiCostNanoUsd)}</td></tr>
<tr><td colspan="3">On-prem GPUs (allocated to requests)</td><td class="n">${usd(team.onPremCostNanoUsd)}</td></tr>
<tr><td colspan="3">Idle GPU hours carried (owned nodes)</td><td class="n">${usd(team.idleCostNanoUsd)}</td></tr>
<tr class="total"><td colspan="3">Total</td><td class="n">${usd(team.totalCostNanoUsd)}</td></tr>
</tfoot></table></section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chargeback ${escapeHtml(report.month)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;width:100%;margin-bottom:1.5em}
th,td{border-bottom:1px solid #ccc;padding:4px 8px;text-align:left}.n{text-align:right}.total td{font-weight:bold}
section{page-break-inside:avoid}@media print{body{margin:0}}
</style></head><body>
<h1>Chargeback ${escapeHtml(report.month)}</h1>
<p>From ${escapeHtml(report.from)} to ${escapeHtml(report.to)} (UTC). Generated ${escapeHtml(report.generatedAt)}.
Hosted API cost is the priced requests' cost; on-prem cost is each GPU node-hour's cost (hourly rate + measured energy)
split over the requests it served by weighted tokens; idle cost is node-hours with no requests, carried by the node's owner team.
${report.includesEstimate ? 'Includes an hour not yet closed, estimated from the hour so far.' : ''}</p>
<p><strong>Total: ${usd(report.totalCostNanoUsd)}</strong></p>
${sections.join('\n')}
</body></html>
`;
}
