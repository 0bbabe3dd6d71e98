import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { FieldProblem } from '../../engine/validation/field-problems';
import { auditRowHash, canonicalJson, GENESIS_HASH, normalizeJson, type JsonValue } from './audit-hash';
import { AuditRepository, type AuditListQuery, type AuditRow } from './audit.repository';

/** What a caller appends; the service adds id, sequence, time and the hashes. */
export interface AuditEntryInput {
  action: string;
  actor: string;
  actorRole?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  team?: string | null;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown> | null;
}

export interface AuditChainVerification {
  valid: boolean;
  checkedRows: number;
  /** The first row that does not verify (for a deleted row: the missing sequence number). */
  firstBrokenSequence: string | null;
  firstBrokenId: string | null;
  reason: string | null;
  verifiedAt: Date;
}

export interface VerifyOptions {
  /** Rows read per page: memory stays bounded by one page, however long the log. */
  pageSize?: number;
  /** Called after each page with the rows checked so far and the last sequence to check. */
  onProgress?: (checkedRows: number, totalRows: number) => void;
}

/** Dotted lower camel case: `user.create`, `auth.loginFailed`, `graphql.createNode`. */
const ACTION_PATTERN = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;
const ACTOR_PATTERN = /^(user:.+|key:.+|system)$/;
const MAX_TEXT_LENGTH = 512;
/** A document larger than this is recorded by its size and SHA-256, so one huge change cannot bloat the log. */
const MAX_DOCUMENT_BYTES = 256 * 1024;
const DEFAULT_PAGE_SIZE = 500;

/**
 * The tamper-evident audit log: every row carries the SHA-256 of its content and of the previous row, appended
 * under one lock across processes. There is no update or delete anywhere; retention never touches it.
 */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  /**
   * Appends one entry, linked to the current head of the chain. Resolves once the row is committed; with `within`
   * (the caller's open transaction) it is written in that transaction, so the change and its row stand or fall together.
   */
  async record(entry: AuditEntryInput, options: { within?: EntityManager } = {}): Promise<{ id: string; sequence: string }> {
    const problems = problemsOf(entry);
    if (problems.length > 0) {
      throw new DomainError(ErrorCode.Validation, `invalid audit entry: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`, { problems });
    }
    const id = randomUUID();
    const at = new Date();
    const content = {
      action: entry.action,
      actor: entry.actor,
      actorRole: entry.actorRole ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      team: entry.team ?? null,
      before: boundedDocument(entry.before),
      after: boundedDocument(entry.after),
      details: boundedDocument(entry.details ?? null),
    };
    const row = await this.repository.append((head) => {
      const linked = { ...content, id, at, sequence: head ? (BigInt(head.sequence) + 1n).toString() : '1', prevId: head?.id ?? null, prevHash: head?.hash ?? GENESIS_HASH };
      return { ...linked, hash: auditRowHash(linked) };
    }, options.within);
    return { id: row.id, sequence: row.sequence };
  }

  /**
   * Walks the chain in sequence order, a page at a time, up to the row that was last when it started: each row's
   * sequence must follow the previous one's, its prev_id and prev_hash must be the previous row's id and hash, and
   * its hash must be the hash of its content. Answers the first row that fails, and why.
   */
  async verifyChain(options: VerifyOptions = {}): Promise<AuditChainVerification> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const through = await this.repository.lastSequence();
    const total = Number(through);
    let previous: { sequence: bigint; id: string | null; hash: string } = { sequence: 0n, id: null, hash: GENESIS_HASH };
    let checkedRows = 0;
    const broken = (sequence: string, id: string | null, reason: string): AuditChainVerification => ({
      valid: false,
      checkedRows,
      firstBrokenSequence: sequence,
      firstBrokenId: id,
      reason,
      verifiedAt: new Date(),
    });
    for (;;) {
      const page = await this.repository.pageAfter(previous.sequence.toString(), pageSize, through);
      if (page.length === 0) break;
      for (const row of page) {
        const expected = previous.sequence + 1n;
        if (BigInt(row.sequence) !== expected) {
          // The rows between are gone: the first missing one is broken. The next row's prev_id still names it.
          const missingId = BigInt(row.sequence) === expected + 1n ? row.prevId : null;
          return broken(expected.toString(), missingId, `row ${expected} is missing (deleted): row ${row.sequence} follows row ${previous.sequence}`);
        }
        if (row.prevHash !== previous.hash || row.prevId !== previous.id) {
          return broken(row.sequence, row.id, `row ${row.sequence} does not link to row ${previous.sequence}: its prev_hash or prev_id differs from that row's hash or id`);
        }
        if (auditRowHash(row) !== row.hash) {
          return broken(row.sequence, row.id, `row ${row.sequence} was altered: its content does not match its hash`);
        }
        checkedRows += 1;
        previous = { sequence: BigInt(row.sequence), id: row.id, hash: row.hash };
      }
      options.onProgress?.(checkedRows, total);
    }
    if (previous.sequence.toString() !== through) {
      // The last row (or more) vanished while we walked, or its sequence was changed.
      return broken((previous.sequence + 1n).toString(), null, `rows after ${previous.sequence} up to ${through} are missing`);
    }
    return { valid: true, checkedRows, firstBrokenSequence: null, firstBrokenId: null, reason: null, verifiedAt: new Date() };
  }

  /** Verifies, then records the verification itself (`audit.verify`) with its result. */
  async verifyAndRecord(actor: { actor: string; actorRole?: string | null }, options: VerifyOptions = {}): Promise<AuditChainVerification> {
    const result = await this.verifyChain(options);
    await this.record({
      action: 'audit.verify',
      actor: actor.actor,
      actorRole: actor.actorRole ?? null,
      targetType: 'auditLog',
      details: { valid: result.valid, checkedRows: result.checkedRows, firstBrokenSequence: result.firstBrokenSequence, firstBrokenId: result.firstBrokenId, reason: result.reason },
    });
    return result;
  }

  list(query: AuditListQuery): Promise<AuditRow[]> {
    return this.repository.list(query);
  }

  count(query: AuditListQuery): Promise<number> {
    return this.repository.count(query);
  }

  find(id: string): Promise<AuditRow | null> {
    return this.repository.findById(id);
  }
}

function problemsOf(entry: AuditEntryInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof entry.action !== 'string' || !ACTION_PATTERN.test(entry.action) || entry.action.length > MAX_TEXT_LENGTH) {
    problems.push({ field: 'action', message: 'must be dotted lower camel case, e.g. "user.create"' });
  }
  if (typeof entry.actor !== 'string' || !ACTOR_PATTERN.test(entry.actor) || entry.actor.length > MAX_TEXT_LENGTH) {
    problems.push({ field: 'actor', message: 'must be "user:<email>", "key:<keyId>" or "system"' });
  }
  for (const field of ['actorRole', 'targetType', 'targetId', 'team'] as const) {
    const value = entry[field];
    if (value !== undefined && value !== null && (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH)) {
      problems.push({ field, message: `must be text of at most ${MAX_TEXT_LENGTH} characters` });
    }
  }
  if (entry.details !== undefined && entry.details !== null && (typeof entry.details !== 'object' || Array.isArray(entry.details))) {
    problems.push({ field: 'details', message: 'must be an object' });
  }
  return problems;
}

/** The document as stored (jsonb's form); past the size bound, its size and SHA-256 instead. */
function boundedDocument(value: unknown): JsonValue {
  const normalized = normalizeJson(value);
  if (normalized === null) return null;
  const text = canonicalJson(normalized);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= MAX_DOCUMENT_BYTES) return normalized;
  return { truncated: true, bytes, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}
