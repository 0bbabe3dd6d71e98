import { gql, type TypedDocumentNode } from '@apollo/client';

// Every version of the entry a price belongs to, oldest first (server: priceVersions).
export interface PriceVersion {
  id: string;
  effectiveFrom: string;
  effectiveUntil: string | null;
  inForce: boolean;
  inputPerMillionUsd: string;
  outputPerMillionUsd: string;
  cachedInputPerMillionUsd: string | null;
  source: string;
}

export const priceVersionsQuery: TypedDocumentNode<{ priceVersions: PriceVersion[] }, { id: string }> = gql`
  query PriceVersions($id: ID!) {
    priceVersions(id: $id) {
      id
      effectiveFrom
      effectiveUntil
      inForce
      inputPerMillionUsd
      outputPerMillionUsd
      cachedInputPerMillionUsd
      source
    }
  }
`;
