import { gql, type TypedDocumentNode } from '@apollo/client';

export interface AuditChainVerification {
  valid: boolean;
  checkedRows: number;
  firstBrokenSequence: string | null;
  firstBrokenId: string | null;
  reason: string | null;
  verifiedAt: string;
}

// Walks the whole chain on the server (recorded there as audit.verify).
export const verifyAuditChainQuery: TypedDocumentNode<{ verifyAuditChain: AuditChainVerification }, Record<string, never>> = gql`
  query VerifyAuditChain {
    verifyAuditChain {
      valid
      checkedRows
      firstBrokenSequence
      firstBrokenId
      reason
      verifiedAt
    }
  }
`;
