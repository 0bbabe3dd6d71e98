import { gql, type TypedDocumentNode } from '@apollo/client';

// The compliance dashboard and auditor exports (server: modules/compliance, modules/retention, modules/audit).

export interface DenialCount {
  key: string;
  denied: number;
}

export interface DecisionFigures {
  decisions: number;
  allowed: number;
  denied: number;
  timeline: Array<{ bucket: string; decisions: number; allowed: number; denied: number }>;
  denials: Array<{ team: string; model: string; reason: string; denied: number }>;
  byReason: DenialCount[];
  byTeam: DenialCount[];
  byModel: DenialCount[];
}

export interface PersonalDataRow {
  team: string;
  detector: string;
  outcome: string;
  requests: number;
  findings: number;
  onPremises: number;
}

export interface LocalityRow {
  team: string | null;
  requests: number;
  onPremises: number;
  external: number;
  onPremisesShare: number | null;
  withPersonalData: number;
  personalDataOnPremises: number;
  personalDataExternal: number;
  personalDataOnPremisesShare: number | null;
}

export interface RetentionRow {
  dataClass: string;
  team: string | null;
  node: string | null;
  policyDays: number | null;
  held: boolean;
  oldestKept: string | null;
  rowsKept: number;
  withinPolicy: boolean;
  lastSweepAt: string | null;
  receipts: number;
}

export interface ChainStatus {
  valid: boolean;
  checkedRows: number;
  firstBrokenSequence: string | null;
  reason: string | null;
  verifiedAt: string;
}

export interface FlaggedNode {
  node: string;
  models: string[];
  location: string;
  checkedAt: string | null;
}

export interface LegalHold {
  id: string;
  team: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  active: boolean;
}

export interface ComplianceDashboardData {
  complianceView: {
    decisions: DecisionFigures;
    personalData: PersonalDataRow[];
    locality: LocalityRow[];
    retention: RetentionRow[];
    auditChain: ChainStatus;
    flaggedNodes: FlaggedNode[];
  };
  allLegalHolds: LegalHold[];
}

export interface ComplianceDashboardVariables {
  from: string;
  to: string;
  bucket: 'HOUR' | 'DAY';
}

export const complianceDashboardQuery: TypedDocumentNode<ComplianceDashboardData, ComplianceDashboardVariables> = gql`
  query ComplianceDashboard($from: DateTime!, $to: DateTime!, $bucket: TimeBucket) {
    complianceView(from: $from, to: $to, bucket: $bucket) {
      decisions {
        decisions allowed denied
        timeline { bucket decisions allowed denied }
        denials { team model reason denied }
        byReason { key denied }
        byTeam { key denied }
        byModel { key denied }
      }
      personalData { team detector outcome requests findings onPremises }
      locality { team requests onPremises external onPremisesShare withPersonalData personalDataOnPremises personalDataExternal personalDataOnPremisesShare }
      retention { dataClass team node policyDays held oldestKept rowsKept withinPolicy lastSweepAt receipts }
      auditChain { valid checkedRows firstBrokenSequence reason verifiedAt }
      flaggedNodes { node models location checkedAt }
    }
    allLegalHolds(activeOnly: true) { id team reason placedBy placedAt active }
  }
`;

export const verifyAuditChainQuery: TypedDocumentNode<{ verifyAuditChain: ChainStatus }, Record<string, never>> = gql`
  query VerifyAuditChain {
    verifyAuditChain { valid checkedRows firstBrokenSequence reason verifiedAt }
  }
`;

export const placeLegalHoldMutation: TypedDocumentNode<{ placeLegalHold: LegalHold }, { team: string; reason: string }> = gql`
  mutation PlaceLegalHold($team: String!, $reason: String!) {
    placeLegalHold(team: $team, reason: $reason) { id team reason placedBy placedAt active }
  }
`;

export const releaseLegalHoldMutation: TypedDocumentNode<{ releaseLegalHold: LegalHold }, { id: string }> = gql`
  mutation ReleaseLegalHold($id: ID!) {
    releaseLegalHold(id: $id) { id active }
  }
`;

export type ExportKind = 'REQUESTS' | 'DECISIONS' | 'AUDIT' | 'REPORT';

export interface ExportRecord {
  id: string;
  kind: ExportKind;
  from: string;
  to: string;
  teams: string[];
  includeContent: boolean;
  requestedBy: string;
  state: string;
  progress: number;
  rows: number;
  bytes: number;
  fileName: string;
  error: string | null;
  downloadUrl: string | null;
  createdAt: string;
  chainVerification: { valid: boolean; checkedRows: number } | null;
}

const exportFields = 'id kind from to teams includeContent requestedBy state progress rows bytes fileName error downloadUrl createdAt chainVerification { valid checkedRows }';

export const exportsQuery: TypedDocumentNode<{ allExports: ExportRecord[] }, { perPage: number }> = gql`
  query Exports($perPage: Int) {
    allExports(perPage: $perPage, sortField: "createdAt", sortOrder: "DESC") { ${exportFields} }
  }
`;

export interface CreateExportVariables {
  kind: ExportKind;
  from: string;
  to: string;
  teams: string[] | null;
  includeContent: boolean | null;
}

export const createExportMutation: TypedDocumentNode<{ createExport: ExportRecord }, CreateExportVariables> = gql`
  mutation CreateExport($kind: ExportKind!, $from: DateTime!, $to: DateTime!, $teams: [String!], $includeContent: Boolean) {
    createExport(kind: $kind, from: $from, to: $to, teams: $teams, includeContent: $includeContent) { ${exportFields} }
  }
`;
