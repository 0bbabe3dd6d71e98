import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ListArguments, ListMetadata, pagingOf } from '../../engine/graphql/list-arguments';
import { JsonScalar } from '../../engine/graphql/json.scalar';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { auditActorOf } from '../audit/audit-actor';
import { AuditedByHandler } from '../audit/audited-by-handler.decorator';
import { CurrentSession, Allow } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { DecisionService } from './decision.service';
import { readRedactInput } from './dto/decision-inputs';
import {
  PolicyFilter,
  PolicyModel,
  PolicyTrialModel,
  PolicyValidationModel,
  PolicyVersionModel,
  RedactResultModel,
} from './models/policy.model';
import { PoliciesService, type PolicyVersionView, type PolicyView } from './policies.service';

const sortablePolicyFields = ['name', 'scopeKind', 'scopeSubject', 'version', 'updatedAt'] as const;

function toModel(policy: PolicyView): PolicyModel {
  const scope = policy.document.scope;
  return {
    id: policy.name,
    name: policy.name,
    version: policy.version,
    scopeKind: Object.keys(scope)[0],
    scopeSubject: 'org' in scope ? '' : String(Object.values(scope)[0]),
    document: policy.document,
    quotaCount: policy.document.quotas.length,
    createdAt: policy.createdAt,
    updatedAt: policy.updatedAt,
    updatedBy: policy.updatedBy,
    deleted: policy.deleted,
  };
}

function toVersionModel(version: PolicyVersionView): PolicyVersionModel {
  return { version: version.version, document: version.document, deleted: version.deleted, createdAt: version.createdAt, createdBy: version.createdBy };
}

/** Policies as a react-admin resource (ra-data-graphql-simple names), validation, and the console's playground. */
@Resolver(() => PolicyModel)
export class PoliciesResolver {
  constructor(
    private readonly policies: PoliciesService,
    private readonly decisions: DecisionService,
  ) {}

  @Allow('policies.read')
  @Query(() => [PolicyModel])
  async allPolicies(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: PolicyFilter): Promise<PolicyModel[]> {
    const paging = pagingOf(args, sortablePolicyFields, { sortField: 'name', sortOrder: 'ASC' });
    const { rows } = await this.policies.list({ ...paging, names: filter?.ids, q: filter?.q, scopeKind: filter?.scopeKind, scopeSubject: filter?.scopeSubject });
    return rows.map(toModel);
  }

  @Allow('policies.read')
  @Query(() => ListMetadata)
  async _allPoliciesMeta(@Args() args: ListArguments, @Args('filter', { nullable: true }) filter?: PolicyFilter): Promise<ListMetadata> {
    const paging = pagingOf(args, sortablePolicyFields, { sortField: 'name', sortOrder: 'ASC' });
    const { total } = await this.policies.list({ ...paging, page: 0, perPage: 1, names: filter?.ids, q: filter?.q, scopeKind: filter?.scopeKind, scopeSubject: filter?.scopeSubject });
    return { count: total };
  }

  @Allow('policies.read')
  @Query(() => PolicyModel, { nullable: true, description: 'A policy by name (deleted ones too, for their history).' })
  async Policy(@Args('id', { type: () => ID }) id: string): Promise<PolicyModel | null> {
    const policy = await this.policies.find(id);
    return policy ? toModel(policy) : null;
  }

  @Allow('policies.read')
  @ResolveField(() => [PolicyVersionModel], { description: 'Every version, oldest first.' })
  async versions(@Parent() policy: PolicyModel): Promise<PolicyVersionModel[]> {
    return (await this.policies.versions(policy.name)).map(toVersionModel);
  }

  @Allow('policies.read')
  @Query(() => PolicyVersionModel, { description: 'One version of a policy (also of a deleted one).' })
  async policyVersion(@Args('id', { type: () => ID }) id: string, @Args('version', { type: () => Int }) version: number): Promise<PolicyVersionModel> {
    return toVersionModel(await this.policies.get(id, version));
  }

  @Allow('policies.write')
  @AuditedByHandler()
  @Mutation(() => PolicyModel, { description: 'Writes a new policy (JSON document, or JSON/YAML text); an existing name gets a new version.' })
  async createPolicy(@Args('document', { type: () => JsonScalar }) document: unknown, @CurrentSession() session: UserSession): Promise<PolicyModel> {
    const written = await this.policies.put(document, session.email, { auditActor: auditActorOf(session) });
    return toModel((await this.policies.find(written.name))!);
  }

  @Allow('policies.write')
  @AuditedByHandler()
  @Mutation(() => PolicyModel, { description: 'A new version of policy `id`; the document must carry that name. Unchanged: no version.' })
  async updatePolicy(
    @Args('id', { type: () => ID }) id: string,
    @Args('document', { type: () => JsonScalar }) document: unknown,
    @CurrentSession() session: UserSession,
  ): Promise<PolicyModel> {
    if (!(await this.policies.find(id))) throw new DomainError(ErrorCode.NotFound, `No policy named ${JSON.stringify(id)}`);
    await this.policies.put(document, session.email, { expectedName: id, auditActor: auditActorOf(session) });
    return toModel((await this.policies.find(id))!);
  }

  @Allow('policies.write')
  @AuditedByHandler()
  @Mutation(() => PolicyModel, { description: 'Deletes a policy: a last version marks it deleted; its history stays readable.' })
  async deletePolicy(@Args('id', { type: () => ID }) id: string, @CurrentSession() session: UserSession): Promise<PolicyModel> {
    await this.policies.delete(id, session.email, { auditActor: auditActorOf(session) });
    return toModel((await this.policies.find(id))!);
  }

  @Allow('policies.read')
  @Query(() => PolicyValidationModel, { description: 'Checks a document without writing it: every bad field named.' })
  validatePolicy(@Args('document', { type: () => JsonScalar }) document: unknown): PolicyValidationModel {
    const result = this.policies.validate(document);
    return result.ok ? { valid: true, problems: [], document: result.document } : { valid: false, problems: result.problems, document: null };
  }

  @Allow('policies.read')
  @Query(() => RedactResultModel, { description: 'POST /api/v1/redact for the console: a policy\'s PII rules (none: every detector on mask) on a text.' })
  redactText(@Args('text') text: string, @Args('policyId', { type: () => ID, nullable: true }) policyId?: string): Promise<RedactResultModel> {
    return this.decisions.redact(readRedactInput(policyId === undefined || policyId === null ? { text } : { text, policyId }));
  }

  @Allow('policies.read')
  @Query(() => PolicyTrialModel, {
    description: 'The playground: a policy (stored, at a version, or an unsaved draft document) tried on a model name and a text.',
  })
  async tryPolicy(
    @Args('id', { type: () => ID, nullable: true }) id?: string,
    @Args('version', { type: () => Int, nullable: true }) version?: number,
    @Args('document', { type: () => JsonScalar, nullable: true }) document?: unknown,
    @Args('model', { nullable: true }) model?: string,
    @Args('text', { nullable: true }) text?: string,
  ): Promise<PolicyTrialModel> {
    let tried;
    if (document !== undefined && document !== null) {
      const result = this.policies.validate(document);
      if (!result.ok) throw new DomainError(ErrorCode.Validation, 'invalid policy document', { problems: result.problems });
      tried = result.document;
    } else if (id) {
      tried = (await this.policies.get(id, version ?? undefined)).document;
    } else {
      throw new DomainError(ErrorCode.Validation, 'Give a policy id or a draft document to try', { problems: [{ field: 'id', message: 'or document is required' }] });
    }
    return this.decisions.tryPolicy(tried, model ?? undefined, text ?? undefined);
  }
}
