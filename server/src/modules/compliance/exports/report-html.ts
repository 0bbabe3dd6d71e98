import type { RetentionStatusRow } from '../../retention/retention.service';
import type { AuditChainStatusModel, DataLocalityModel, DecisionFiguresModel, FlaggedNodeModel, PersonalDataDetectionModel } from '../models/compliance.model';

/** Everything the printable report shows; gathered by the export job, rendered here without any I/O. */
export interface ReportFigures {
  from: Date;
  to: Date;
  teams: string[];
  generatedAt: Date;
  generatedBy: string;
  decisions: DecisionFiguresModel;
  personalData: PersonalDataDetectionModel[];
  locality: DataLocalityModel[];
  retention: RetentionStatusRow[];
  auditChain: AuditChainStatusModel;
  flaggedNodes: FlaggedNodeModel[];
  legalHolds: Array<{ team: string; reason: string; placedAt: Date; placedBy: string }>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

function formatShare(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)} %`;
}

function formatDate(value: Date | null): string {
  return value === null ? '—' : value.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function table(headers: string[], rows: string[][], numericFrom = 1): string {
  if (rows.length === 0) return '<p class="empty">None in this period.</p>';
  const head = headers.map((header, index) => `<th${index >= numericFrom ? ' class="number"' : ''}>${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((cells) => `<tr>${cells.map((cell, index) => `<td${index >= numericFrom ? ' class="number"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Allowed and denied decisions per bucket as stacked bars (inline SVG: prints as drawn, no script). */
export function decisionsChart(figures: DecisionFiguresModel, width = 720, height = 180): string {
  const buckets = figures.timeline;
  if (buckets.length === 0) return '';
  const most = Math.max(...buckets.map((bucket) => bucket.decisions), 1);
  const barWidth = width / buckets.length;
  const bars = buckets
    .map((bucket, index) => {
      const x = (index * barWidth).toFixed(2);
      const allowedHeight = (bucket.allowed / most) * (height - 20);
      const deniedHeight = (bucket.denied / most) * (height - 20);
      const label = `${bucket.bucket.toISOString().slice(0, 13)}: ${bucket.allowed} allowed, ${bucket.denied} denied`;
      return (
        `<g><title>${escapeHtml(label)}</title>` +
        `<rect x="${x}" y="${(height - allowedHeight).toFixed(2)}" width="${Math.max(barWidth - 1, 1).toFixed(2)}" height="${allowedHeight.toFixed(2)}" fill="#4c8bf5"/>` +
        `<rect x="${x}" y="${(height - allowedHeight - deniedHeight).toFixed(2)}" width="${Math.max(barWidth - 1, 1).toFixed(2)}" height="${deniedHeight.toFixed(2)}" fill="#d93025"/></g>`
      );
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="Policy decisions over time" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars}</svg>
<p class="legend"><span style="color:#4c8bf5">■</span> allowed <span style="color:#d93025">■</span> denied (tallest bar: ${formatCount(most)})</p>`;
}

/** Per team: the share of requests served on-premises, and of those with personal data (horizontal bars). */
export function localityChart(rows: DataLocalityModel[], width = 720): string {
  const teams = rows.filter((row) => row.team !== null);
  if (teams.length === 0) return '';
  const rowHeight = 22;
  const labelWidth = 180;
  const barSpace = width - labelWidth - 60;
  const bars = teams
    .map((row, index) => {
      const y = index * rowHeight * 2;
      const all = row.onPremisesShare ?? 0;
      const personal = row.personalDataOnPremisesShare ?? 0;
      return (
        `<text x="0" y="${y + 15}" font-size="12">${escapeHtml(row.team!)}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${(all * barSpace).toFixed(2)}" height="14" fill="#188038"/>` +
        `<text x="${labelWidth + all * barSpace + 4}" y="${y + 15}" font-size="11">${formatShare(row.onPremisesShare)}</text>` +
        `<rect x="${labelWidth}" y="${y + rowHeight + 1}" width="${(personal * barSpace).toFixed(2)}" height="14" fill="#f9ab00"/>` +
        `<text x="${labelWidth + personal * barSpace + 4}" y="${y + rowHeight + 13}" font-size="11">${formatShare(row.personalDataOnPremisesShare)}</text>`
      );
    })
    .join('');
  const height = teams.length * rowHeight * 2;
  return `<svg class="chart" role="img" aria-label="Share served on-premises per team" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars}</svg>
<p class="legend"><span style="color:#188038">■</span> all requests on-premises <span style="color:#f9ab00">■</span> requests with personal data on-premises</p>`;
}

/** The printable compliance report: one self-contained HTML page (styles inline, charts as SVG, no script). */
export function renderComplianceReport(figures: ReportFigures): string {
  const chain = figures.auditChain;
  const totals = figures.locality.find((row) => row.team === null);
  const teamsText = figures.teams.length === 0 ? 'all teams' : figures.teams.join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Warden compliance report ${escapeHtml(figures.from.toISOString().slice(0, 10))} – ${escapeHtml(figures.to.toISOString().slice(0, 10))}</title>
<style>
  body { font-family: -apple-system, "Segoe UI", Roboto, sans-serif; color: #202124; margin: 2rem auto; max-width: 960px; }
  h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #dadce0; padding-bottom: .3rem; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0; }
  th, td { border: 1px solid #dadce0; padding: .25rem .5rem; text-align: left; } th { background: #f1f3f4; }
  .number { text-align: right; font-variant-numeric: tabular-nums; }
  .ok { color: #188038; font-weight: 600; } .broken { color: #d93025; font-weight: 600; }
  .empty { color: #5f6368; font-style: italic; } .legend { font-size: .8rem; color: #5f6368; } .chart { max-width: 100%; height: auto; }
  dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; } dt { font-weight: 600; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
</style></head>
<body>
<h1>Compliance report</h1>
<dl>
  <dt>Period</dt><dd>${escapeHtml(formatDate(figures.from))} to ${escapeHtml(formatDate(figures.to))}</dd>
  <dt>Teams</dt><dd>${escapeHtml(teamsText)}</dd>
  <dt>Generated</dt><dd>${escapeHtml(formatDate(figures.generatedAt))} by ${escapeHtml(figures.generatedBy)}</dd>
</dl>

<h2>Audit log integrity</h2>
<p class="${chain.valid ? 'ok' : 'broken'}" id="audit-chain">${
    chain.valid
      ? `Chain intact: ${formatCount(chain.checkedRows)} entries verified`
      : `Chain broken at entry ${escapeHtml(chain.firstBrokenSequence ?? '?')}${chain.reason ? `: ${escapeHtml(chain.reason)}` : ''} (${formatCount(chain.checkedRows)} entries checked)`
  } at ${escapeHtml(formatDate(chain.verifiedAt))}.</p>

<h2>Policy decisions</h2>
<p>${formatCount(figures.decisions.decisions)} decisions: ${formatCount(figures.decisions.allowed)} allowed, ${formatCount(figures.decisions.denied)} denied.</p>
${decisionsChart(figures.decisions)}
<h3>Denials by reason</h3>
${table(['Reason', 'Denied'], figures.decisions.byReason.map((row) => [row.key, formatCount(row.denied)]))}
<h3>Denials by team, model and reason</h3>
${table(['Team', 'Model', 'Reason', 'Denied'], figures.decisions.denials.slice(0, 200).map((row) => [row.team, row.model, row.reason, formatCount(row.denied)]), 3)}

<h2>Personal data</h2>
${table(
  ['Team', 'Detector', 'Handling', 'Requests', 'Findings', 'Served on-premises'],
  figures.personalData.map((row) => [row.team, row.detector, row.outcome, formatCount(row.requests), formatCount(row.findings), formatCount(row.onPremises)]),
  3,
)}

<h2>Data locality</h2>
<p>${totals ? `${formatShare(totals.onPremisesShare)} of all requests and ${formatShare(totals.personalDataOnPremisesShare)} of requests with personal data were served on-premises.` : ''}</p>
${localityChart(figures.locality)}
${table(
  ['Team', 'Requests', 'On-premises', 'External', 'Share on-premises', 'With personal data', 'Personal data on-premises', 'Personal data external', 'Share on-premises'],
  figures.locality.map((row) => [
    row.team ?? 'All teams',
    formatCount(row.requests),
    formatCount(row.onPremises),
    formatCount(row.external),
    formatShare(row.onPremisesShare),
    formatCount(row.withPersonalData),
    formatCount(row.personalDataOnPremises),
    formatCount(row.personalDataExternal),
    formatShare(row.personalDataOnPremisesShare),
  ]),
)}

<h2>Nodes serving models outside their policy</h2>
${table(['Node', 'Location', 'Models not allowed', 'Last checked'], figures.flaggedNodes.map((node) => [node.node, node.location, node.models.join(', '), formatDate(node.checkedAt)]), 4)}

<h2>Retention</h2>
${table(
  ['Data class', 'Team or node', 'Policy (days)', 'Oldest kept', 'Within policy', 'Last sweep', 'Receipts'],
  figures.retention.map((row) => [
    row.dataClass,
    row.team ?? row.node ?? '',
    row.held ? 'legal hold' : row.policyDays === null ? 'as long as the row' : String(row.policyDays),
    formatDate(row.oldestKept),
    row.withinPolicy ? 'yes' : 'NO',
    formatDate(row.lastSweepAt),
    String(row.receipts),
  ]),
  2,
)}

<h2>Legal holds in force</h2>
${table(['Team', 'Reason', 'Placed', 'By'], figures.legalHolds.map((hold) => [hold.team, hold.reason, formatDate(hold.placedAt), hold.placedBy]), 4)}
</body></html>
`;
}
