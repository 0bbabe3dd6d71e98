import { gql, type TypedDocumentNode } from '@apollo/client';

// The catalog import: the server parses the LiteLLM or Langfuse JSON and reports what it kept.
export interface ImportPricesData {
  importPrices: { imported: number; skipped: number; errors: string[] };
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
    }
  }
`;
