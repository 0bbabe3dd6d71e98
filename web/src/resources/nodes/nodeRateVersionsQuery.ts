import { gql, type TypedDocumentNode } from '@apollo/client';

// Every version of a node's rates, oldest first (server: nodeRateVersions).
export interface NodeRateVersion {
  id: string;
  effectiveFrom: string;
  effectiveUntil: string | null;
  inForce: boolean;
  hourlyCostUsd: string;
  energyPriceUsdPerKwh: string;
  powerOverheadFactor: string;
}

export const nodeRateVersionsQuery: TypedDocumentNode<{ nodeRateVersions: NodeRateVersion[] }, { id: string }> = gql`
  query NodeRateVersions($id: ID!) {
    nodeRateVersions(id: $id) {
      id
      effectiveFrom
      effectiveUntil
      inForce
      hourlyCostUsd
      energyPriceUsdPerKwh
      powerOverheadFactor
    }
  }
`;
