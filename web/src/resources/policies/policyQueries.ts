import { gql, type TypedDocumentNode } from '@apollo/client';
import type { PolicyDocument } from './policyRecord';

export interface PolicyVersion {
  version: number;
  document: PolicyDocument;
  deleted: boolean;
  createdAt: string;
  createdBy: string;
}

// Every version of a policy, oldest first (server: Policy.versions).
export const policyVersionsQuery: TypedDocumentNode<{ Policy: { id: string; versions: PolicyVersion[] } | null }, { id: string }> = gql`
  query PolicyVersions($id: ID!) {
    Policy(id: $id) {
      id
      versions {
        version
        document
        deleted
        createdAt
        createdBy
      }
    }
  }
`;

export interface PolicyProblem {
  field: string;
  message: string;
}

export const validatePolicyQuery: TypedDocumentNode<{ validatePolicy: { valid: boolean; problems: PolicyProblem[] } }, { document: unknown }> = gql`
  query ValidatePolicy($document: JSON!) {
    validatePolicy(document: $document) {
      valid
      problems {
        field
        message
      }
    }
  }
`;

export interface PolicyTrial {
  modelAllowed: boolean;
  reason: string | null;
  message: string | null;
  piiAction: string;
  text: string;
  blocked: boolean;
  onPremisesOnly: boolean;
  findings: Array<{ detector: string; start: number; end: number }>;
  quotas: Array<{ name: string; metric: string; limit: string; period: string; timeZone: string; enforcement: string; counts: boolean }>;
}

export const tryPolicyQuery: TypedDocumentNode<
  { tryPolicy: PolicyTrial },
  { id?: string; version?: number; document?: unknown; model?: string; text?: string }
> = gql`
  query TryPolicy($id: ID, $version: Int, $document: JSON, $model: String, $text: String) {
    tryPolicy(id: $id, version: $version, document: $document, model: $model, text: $text) {
      modelAllowed
      reason
      message
      piiAction
      text
      blocked
      onPremisesOnly
      findings {
        detector
        start
        end
      }
      quotas {
        name
        metric
        limit
        period
        timeZone
        enforcement
        counts
      }
    }
  }
`;
