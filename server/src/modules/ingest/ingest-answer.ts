import type { FieldProblem } from '../../engine/validation/field-problems';

export type ItemStatus = 'accepted' | 'duplicate' | 'rejected';

export interface ItemResult {
  index: number;
  id?: string;
  status: ItemStatus;
  errors?: FieldProblem[];
  /** For refused items collapsed into one entry: how many items had exactly these errors, and (some of) which. */
  count?: number;
  indexes?: number[];
}

export interface IngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  unpriced: number;
  results: ItemResult[];
}

/** Refused items listed one by one before identical refusals start collapsing into one entry. */
const individualRefusals = 100;
/** Indexes listed in a collapsed entry; `count` carries the rest. */
const listedIndexes = 1000;

/**
 * Builds the per-item answer. An answer grows with the items accepted (one short entry each) but never with
 * repeated refusals: past the first hundred refused items, items refused for exactly the same reasons share one
 * entry with a count (a body of a million copies of one bad item answers a few lines, not a hundred megabytes).
 */
export class IngestAnswerBuilder {
  private readonly results: Array<ItemResult | undefined>;
  private readonly collapsed = new Map<string, ItemResult>();
  private refusedListed = 0;
  private readonly totals = { accepted: 0, duplicates: 0, rejected: 0 };

  constructor(itemCount: number) {
    this.results = new Array(itemCount);
  }

  accepted(index: number, id: string): void {
    this.results[index] = { index, id, status: 'accepted' };
    this.totals.accepted += 1;
  }

  duplicate(index: number, id: string): void {
    this.results[index] = { index, id, status: 'duplicate' };
    this.totals.duplicates += 1;
  }

  rejected(index: number, id: string | undefined, errors: FieldProblem[]): void {
    this.totals.rejected += 1;
    if (this.refusedListed < individualRefusals) {
      this.refusedListed += 1;
      this.results[index] = { index, id, status: 'rejected', errors };
      return;
    }
    const signature = JSON.stringify(errors);
    const entry = this.collapsed.get(signature);
    if (entry) {
      entry.count! += 1;
      if (entry.indexes!.length < listedIndexes) entry.indexes!.push(index);
      return;
    }
    const first: ItemResult = { index, status: 'rejected', errors, count: 1, indexes: [index] };
    this.collapsed.set(signature, first);
    this.results[index] = first;
  }

  finish(unpriced: number): IngestAnswer {
    const results: ItemResult[] = [];
    for (const result of this.results) if (result) results.push(result);
    return { ...this.totals, unpriced, results };
  }
}
