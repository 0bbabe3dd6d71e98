import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WardenConfig } from '../../engine/config/config';
import { CONFIG } from '../../engine/engine.module';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { systemActor, userActor, type AuditActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import type { FieldProblem } from '../../engine/validation/field-problems';
import {
  canonicalPolicyDocument,
  readPolicyText,
  samePolicyDocument,
  scopeKind,
  scopeSubject,
  validatePolicyDocument,
  type PolicyDocument,
  type PolicyValidationResult,
  type VersionedPolicy,
} from './document';
import { PoliciesRepository, type PolicyListQuery } from './policies.repository';
import { PolicySnapshot } from './policy-snapshot';
import type { PolicyVersionEntity } from './policy-version.entity';
import type { PolicyEntity } from './policy.entity';

/** Who changes a policy: a user's email, `key:<key name>`, or `cli`. Written on each version. */
export type PolicyActor = string;

export interface PolicyView {
  name: string;
  version: number;
  document: PolicyDocument;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
  deleted: boolean;
}

export interface PolicyVersionView {
  name: string;
  version: number;
  document: PolicyDocument;
  /** This version deleted the policy. */
  deleted: boolean;
  createdAt: Date;
  createdBy: string;
}

export interface PolicyWriteResult {
  name: string;
  version: number;
  /** false: the document was the current one already, no version was written. */
  changed: boolean;
  /** created: a new name (or a deleted one written again); unchanged: no version written. */
  action: 'created' | 'updated' | 'unchanged' | 'deleted';
}

/** One policy file of a directory applied as the source of truth (policies:apply). */
export interface PolicyFile {
  path: string;
  text: string;
}

export type PolicyFileOutcome =
  | { path: string; name: string; action: 'created' | 'updated' | 'unchanged'; version: number }
  | { path: string; name?: string; action: 'invalid'; problems: FieldProblem[] };

export interface PolicyFilesReport {
  files: PolicyFileOutcome[];
  /** With `prune`: policies no file names any more, deleted (or, in a dry run, to be deleted). */
  deleted: Array<{ name: string; version: number }>;
}

/** A policy change as the audit log records it: the document before and after (null for none). */
export interface PolicyChange {
  name: string;
  action: 'create' | 'update' | 'delete';
  version: number;
  before: PolicyDocument | null;
  after: PolicyDocument | null;
  actor: PolicyActor;
  /** Who the audit log names; by default derived from `actor`. */
  auditActor?: AuditActor;
}

/** Options of a write: the name the caller addressed, and the actor as the audit log names it. */
export interface PolicyWriteOptions {
  expectedName?: string;
  auditActor?: AuditActor;
}

const MAX_POLICY_TEXT_LENGTH = 1_000_000;

/** The policy store: documents validated, versioned (every change a new version), never edited in place. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly repository: PoliciesRepository,
    private readonly snapshot: PolicySnapshot,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: WardenConfig,
  ) {}

  /** Validates a document given as parsed JSON, or as JSON or YAML text; every bad field named. */
  validate(input: unknown): PolicyValidationResult {
    const options = { retentionFloorDays: this.config.retentionFloorDays };
    if (typeof input === 'string') {
      if (input.length > MAX_POLICY_TEXT_LENGTH) return { ok: false, problems: [{ field: '', message: `longer than ${MAX_POLICY_TEXT_LENGTH} characters` }] };
      return readPolicyText(input, options);
    }
    return validatePolicyDocument(input, options);
  }

  /**
   * Writes a document (parsed JSON, or JSON/YAML text) as the policy's next version, unless it is the current one
   * already (compared in canonical form: key order, spelling of limits and zones do not count). `expectedName`: the
   * name the caller addressed (a URL path), which the document must carry.
   */
  async put(input: unknown, actor: PolicyActor, options: PolicyWriteOptions = {}): Promise<PolicyWriteResult> {
    const document = this.documentOrThrow(input, options.expectedName);
    const pending: { change?: PolicyChange } = {};
    const { policy, written } = await this.repository.writeVersion(document.name, (current) => {
      const currentDocument = current ? canonicalPolicyDocument(current.document as PolicyDocument) : null;
      if (current && !current.deletedAt && currentDocument && samePolicyDocument(currentDocument, document)) return null;
      pending.change = {
        name: document.name,
        action: current && !current.deletedAt ? 'update' : 'create',
        version: (current?.version ?? 0) + 1,
        before: current && !current.deletedAt ? currentDocument : null,
        after: document,
        actor,
        auditActor: options.auditActor,
      };
      return { scopeKind: scopeKind(document.scope), scopeSubject: scopeSubject(document.scope), document, deleted: false, actor };
    }, (manager) => this.recordInAuditLog(pending.change!, manager));
    if (written) await this.snapshot.invalidate();
    const action = !written ? 'unchanged' : pending.change?.action === 'update' ? 'updated' : 'created';
    return { name: policy.name, version: policy.version, changed: written !== null, action };
  }

  /**
   * A set of policy files as the source of truth: every file validated first (two files naming one policy are both
   * refused), then each valid one written (a version only where it changed). `prune` deletes the policies no file
   * names; `dryRun` writes nothing and reports what would happen.
   */
  async applyFiles(files: readonly PolicyFile[], actor: PolicyActor, options: { dryRun?: boolean; prune?: boolean } = {}): Promise<PolicyFilesReport> {
    const read = files.map((file) => ({ file, result: this.validate(file.text) }));
    const pathsByName = new Map<string, string[]>();
    for (const { file, result } of read) if (result.ok) pathsByName.set(result.document.name, [...(pathsByName.get(result.document.name) ?? []), file.path]);
    const outcomes: PolicyFileOutcome[] = [];
    for (const { file, result } of read) {
      if (!result.ok) {
        outcomes.push({ path: file.path, action: 'invalid', problems: result.problems });
        continue;
      }
      const name = result.document.name;
      const others = pathsByName.get(name)!.filter((path) => path !== file.path);
      if (others.length > 0) {
        outcomes.push({ path: file.path, name, action: 'invalid', problems: [{ field: 'name', message: `policy ${JSON.stringify(name)} is also defined in ${others.join(', ')}` }] });
        continue;
      }
      if (options.dryRun) {
        const current = await this.repository.findByName(name);
        const same = current && !current.deletedAt && samePolicyDocument(canonicalPolicyDocument(current.document as PolicyDocument), result.document);
        outcomes.push({ path: file.path, name, action: same ? 'unchanged' : current && !current.deletedAt ? 'updated' : 'created', version: same ? current.version : (current?.version ?? 0) + 1 });
        continue;
      }
      const written = await this.put(result.document, actor);
      outcomes.push({ path: file.path, name, action: written.action as 'created' | 'updated' | 'unchanged', version: written.version });
    }
    const deleted: Array<{ name: string; version: number }> = [];
    // Pruning needs every file read correctly: a file that failed to parse may be the one naming a policy.
    if (options.prune && outcomes.every((outcome) => outcome.action !== 'invalid')) {
      const named = new Set(pathsByName.keys());
      for (const current of await this.repository.findCurrent()) {
        if (named.has(current.name)) continue;
        deleted.push(options.dryRun ? { name: current.name, version: current.version + 1 } : { name: current.name, version: (await this.delete(current.name, actor)).version });
      }
    }
    return { files: outcomes, deleted };
  }

  /** Deletes a policy: a last version marks it deleted; its history stays readable, and a later write revives it. */
  async delete(name: string, actor: PolicyActor, options: Pick<PolicyWriteOptions, 'auditActor'> = {}): Promise<PolicyWriteResult> {
    const pending: { change?: PolicyChange } = {};
    const { policy, written } = await this.repository.writeVersion(name, (current) => {
      if (!current || current.deletedAt) throw new DomainError(ErrorCode.NotFound, `No policy named ${JSON.stringify(name)}`);
      const before = canonicalPolicyDocument(current.document as PolicyDocument);
      pending.change = { name, action: 'delete', version: current.version + 1, before, after: null, actor, auditActor: options.auditActor };
      return { scopeKind: current.scopeKind, scopeSubject: current.scopeSubject, document: before, deleted: true, actor };
    }, (manager) => this.recordInAuditLog(pending.change!, manager));
    if (written) await this.snapshot.invalidate();
    return { name: policy.name, version: policy.version, changed: true, action: 'deleted' };
  }

  /** The current version, or version `version` (also of a deleted policy). */
  async get(name: string, version?: number): Promise<PolicyVersionView> {
    const policy = await this.repository.findByName(name);
    if (!policy) throw new DomainError(ErrorCode.NotFound, `No policy named ${JSON.stringify(name)}`);
    if (version === undefined) {
      if (policy.deletedAt) {
        throw new DomainError(ErrorCode.NotFound, `Policy ${JSON.stringify(name)} was deleted (version ${policy.version}); ask for an earlier ?version=N`);
      }
      const current = await this.repository.findVersion(policy.id, policy.version);
      return versionView(policy, current!);
    }
    if (!Number.isSafeInteger(version) || version < 1) throw new DomainError(ErrorCode.Validation, 'version must be a whole number from 1', { problems: [{ field: 'version', message: 'must be a whole number from 1' }] });
    const stored = await this.repository.findVersion(policy.id, version);
    if (!stored) throw new DomainError(ErrorCode.NotFound, `Policy ${JSON.stringify(name)} has no version ${version} (latest: ${policy.version})`);
    return versionView(policy, stored);
  }

  /** Every version of a policy, oldest first. */
  async versions(name: string): Promise<PolicyVersionView[]> {
    const policy = await this.repository.findByName(name);
    if (!policy) throw new DomainError(ErrorCode.NotFound, `No policy named ${JSON.stringify(name)}`);
    return (await this.repository.findVersions(policy.id)).map((version) => versionView(policy, version));
  }

  async find(name: string): Promise<PolicyView | null> {
    const policy = await this.repository.findByName(name);
    return policy ? policyView(policy) : null;
  }

  async list(query: PolicyListQuery): Promise<{ rows: PolicyView[]; total: number }> {
    const { rows, total } = await this.repository.list(query);
    return { rows: rows.map(policyView), total };
  }

  /** The versions in force at an instant (for a past period), deleted policies left out. */
  async inForceAt(instant: Date): Promise<VersionedPolicy[]> {
    const rows = await this.repository.findInForceAt(instant);
    return rows.map((row) => ({ version: row.version, document: canonicalPolicyDocument(row.document as PolicyDocument) }));
  }

  private documentOrThrow(input: unknown, expectedName: string | undefined): PolicyDocument {
    const result = this.validate(input);
    const problems: FieldProblem[] = result.ok ? [] : [...result.problems];
    if (result.ok && expectedName !== undefined && result.document.name !== expectedName) {
      problems.push({ field: 'name', message: `must be ${JSON.stringify(expectedName)}, the name in the path, got ${JSON.stringify(result.document.name)}` });
    }
    if (problems.length > 0 || !result.ok) {
      const summary = problems.map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message)).join('; ');
      throw new DomainError(ErrorCode.Validation, `invalid policy document: ${summary}`, { problems });
    }
    return result.document;
  }

  /**
   * Every policy change, with the document before and after, is appended to the audit log (issue 7 §7) in the
   * transaction that writes the version: no version without its audit row. One action name for creation, update
   * and deletion; `details.change` says which.
   */
  private async recordInAuditLog(change: PolicyChange, within: EntityManager): Promise<void> {
    const who = change.auditActor ?? auditActorOfPolicyActor(change.actor);
    const scope = (change.after ?? change.before)?.scope;
    await this.audit.record({
      action: 'policy.update',
      actor: who.actor,
      actorRole: who.actorRole,
      targetType: 'policy',
      targetId: change.name,
      team: scope && 'team' in scope ? scope.team : null,
      before: change.before,
      after: change.after,
      details: { change: change.action, version: change.version, writtenBy: change.actor },
    }, { within });
  }
}

/** The audit actor of a version's author when the caller gave none: `cli` is the system, an email a user. */
function auditActorOfPolicyActor(actor: PolicyActor): AuditActor {
  if (actor === 'cli') return systemActor;
  if (actor.startsWith('key:')) return { actor, actorRole: null };
  return userActor(actor);
}

function policyView(policy: PolicyEntity): PolicyView {
  return {
    name: policy.name,
    version: policy.version,
    document: canonicalPolicyDocument(policy.document as PolicyDocument),
    createdAt: policy.createdAt,
    updatedAt: policy.updatedAt,
    updatedBy: policy.updatedBy,
    deleted: policy.deletedAt !== null,
  };
}

function versionView(policy: PolicyEntity, version: PolicyVersionEntity): PolicyVersionView {
  return {
    name: policy.name,
    version: version.version,
    document: canonicalPolicyDocument(version.document as PolicyDocument),
    deleted: version.deleted,
    createdAt: version.createdAt,
    createdBy: version.createdBy,
  };
}
