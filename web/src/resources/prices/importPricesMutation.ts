import { gql, type TypedDocumentNode } from '@apollo/client';

// The catalog import: the server parses the LiteLLM, Langfuse or Warden JSON and reports what it kept, what it
// skipped, and which catalog entries the new ones shadow or are shadowed by.
export interface PriceReference {
  modelPattern: string;
  provider: string;
  effectiveFrom: string;
  source: string;
}

export interface PriceShadowing {
  relation: 'SHADOWS' | 'SHADOWED_BY';
  entry: PriceReference;
  other: PriceReference;
  provider: string;
  modelName: string;
  modelNames: number;
  reason: string;
}

export interface ImportPricesData {
  importPrices: { imported: number; skipped: number; errors: string[]; shadowing: PriceShadowing[]; shadowingCount: number };
}

export interface ImportPricesVariables {
  content: string;
  effectiveFrom?: string | null;
}

export const importPricesMutation: TypedDocumentNode<ImportPricesData, ImportPricesVariables> = gql`
  mutation ImportPrices($content: String!, $effectiveFrom: DateTime) {
    importPrices(content: $content, effectiveFrom: $effectiveFrom) {
      imported
      skipped
      errors
      shadowingCount
      shadowing {
        relation
        entry {
          modelPattern
          provider
          effectiveFrom
          source
        }
        other {
          modelPattern
          provider
          effectiveFrom
          source
        }
        provider
        modelName
        modelNames
        reason
      }
    }
  }
`;
