import { Injectable } from '@nestjs/common';
import { dateFromClickhouseTime } from '../../engine/clickhouse/clickhouse-time';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { FieldProblem } from '../../engine/validation/field-problems';
import { AuditService } from '../audit/audit.service';
import { NodeService } from '../nodes/nodes.service';
import { RetentionService, type RetentionStatusRow } from '../retention/retention.service';
import { ComplianceRepository, type ComplianceScope } from './compliance.repository';
import type {
  AuditChainStatusModel,
  DataLocalityModel,
  DecisionFiguresModel,
  DenialCountModel,
  FlaggedNodeModel,
  PersonalDataDetectionModel,
  TimeBucket,
} from './models/compliance.model';

/** Bounds of one compliance read (stated in README). */
export const maxRangeDays = 366;
export const maxTeams = 100;

const outcomeOfAction: Record<string, string> = { mask: 'masked', hash: 'hashed', block: 'blocked', '': 'allowed', allow: 'allowed' };

/** Checks a range and a team list once for every compliance read and export, naming the bad argument. */
export function complianceScopeOf(from: Date, to: Date, teams: string[] | null | undefined): ComplianceScope {
  const problems: FieldProblem[] = [];
  if (!(from < to)) problems.push({ field: 'from', message: 'must be before "to"' });
  else if (to.getTime() - from.getTime() > maxRangeDays * 86_400_000) problems.push({ field: 'to', message: `the range may span at most ${maxRangeDays} days` });
  const list = [...new Set(teams ?? [])];
  if (list.length > maxTeams) problems.push({ field: 'teams', message: `at most ${maxTeams} teams` });
  if (list.some((team) => team.trim() === '' || team.length > 200)) problems.push({ field: 'teams', message: 'each team is a name of 1 to 200 characters' });
  if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), problems);
  return { from, to, teams: list.sort() };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function countsBy<T>(rows: T[], keyOf: (row: T) => string, valueOf: (row: T) => number): DenialCountModel[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(keyOf(row), (totals.get(keyOf(row)) ?? 0) + valueOf(row));
  return [...totals].map(([key, denied]) => ({ key, denied })).sort((first, second) => second.denied - first.denied || first.key.localeCompare(second.key));
}

/**
 * The figures compliance shows auditors: policy decisions and denials, personal data found and what was done with
 * it, where requests were served, retention against policy, and the audit chain. Read from hourly rollups.
 */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly repository: ComplianceRepository,
    private readonly retention: RetentionService,
    private readonly audit: AuditService,
    private readonly nodes: NodeService,
  ) {}

  async decisions(scope: ComplianceScope, bucket: TimeBucket): Promise<DecisionFiguresModel> {
    const [timeline, denialTimeline, denials] = await Promise.all([
      this.repository.decisionTimeline(scope, bucket),
      this.repository.denialTimeline(scope, bucket),
      this.repository.denials(scope),
    ]);
    const buckets = timeline.map((row) => {
      const decisions = Number(row.decisions);
      const allowed = Number(row.allowed);
      return { bucket: dateFromClickhouseTime(row.bucket), decisions, allowed, denied: decisions - allowed };
    });
    const groups = denials.map((row) => ({ team: row.team, model: row.model, reason: row.reason, denied: Number(row.denied) }));
    const decisions = buckets.reduce((sum, row) => sum + row.decisions, 0);
    const allowed = buckets.reduce((sum, row) => sum + row.allowed, 0);
    return {
      decisions,
      allowed,
      denied: decisions - allowed,
      timeline: buckets,
      denialTimeline: denialTimeline.map((row) => ({ bucket: dateFromClickhouseTime(row.bucket), reason: row.reason, denied: Number(row.denied) })),
      denials: groups,
      byReason: countsBy(groups, (row) => row.reason, (row) => row.denied),
      byTeam: countsBy(groups, (row) => row.team, (row) => row.denied),
      byModel: countsBy(groups, (row) => row.model, (row) => row.denied),
    };
  }

  async personalData(scope: ComplianceScope): Promise<PersonalDataDetectionModel[]> {
    const rows = await this.repository.detections(scope);
    return rows.map((row) => ({
      team: row.team,
      detector: row.detector,
      action: row.action === '' ? 'allow' : row.action,
      outcome: outcomeOfAction[row.action] ?? row.action,
      requests: Number(row.requests),
      findings: Number(row.findings),
      onPremises: Number(row.on_premises),
    }));
  }

  /** Per team, then one row for all teams together (team null), last. */
  async locality(scope: ComplianceScope): Promise<DataLocalityModel[]> {
    const rows = await this.repository.locality(scope);
    const figures = rows.map((row) => localityOf(row.team, Number(row.requests), Number(row.on_premises), Number(row.with_personal_data), Number(row.personal_data_on_premises)));
    const sum = (pick: (row: DataLocalityModel) => number) => figures.reduce((total, row) => total + pick(row), 0);
    figures.push(localityOf(null, sum((row) => row.requests), sum((row) => row.onPremises), sum((row) => row.withPersonalData), sum((row) => row.personalDataOnPremises)));
    return figures;
  }

  async retentionStatus(teams: string[]): Promise<RetentionStatusRow[]> {
    const rows = await this.retention.status();
    return teams.length === 0 ? rows : rows.filter((row) => row.team === null || teams.includes(row.team));
  }

  /** Nodes whose last health check found them serving models their node policy does not allow (the gateway checks). */
  async flaggedNodes(): Promise<FlaggedNodeModel[]> {
    const nodes = await this.nodes.findAll();
    return nodes
      .filter((node) => (node.flaggedModels ?? []).length > 0)
      .map((node) => ({ node: node.name, models: [...node.flaggedModels].sort(), location: node.location, checkedAt: node.healthCheckedAt }))
      .sort((first, second) => first.node.localeCompare(second.node));
  }

  async auditChain(): Promise<AuditChainStatusModel> {
    const verification = await this.audit.verifyChain();
    return {
      valid: verification.valid,
      checkedRows: Number(verification.checkedRows),
      firstBrokenSequence: verification.firstBrokenSequence === null || verification.firstBrokenSequence === undefined ? null : String(verification.firstBrokenSequence),
      firstBrokenId: verification.firstBrokenId ?? null,
      reason: verification.reason ?? null,
      verifiedAt: new Date(verification.verifiedAt),
    };
  }
}

function localityOf(team: string | null, requests: number, onPremises: number, withPersonalData: number, personalDataOnPremises: number): DataLocalityModel {
  return {
    team,
    requests,
    onPremises,
    external: requests - onPremises,
    onPremisesShare: ratio(onPremises, requests),
    withPersonalData,
    personalDataOnPremises,
    personalDataExternal: withPersonalData - personalDataOnPremises,
    personalDataOnPremisesShare: ratio(personalDataOnPremises, withPersonalData),
  };
}
