import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '../../../engine/graphql/json.scalar';

@ObjectType('PolicyVersion', { description: 'One version of a policy, never changed once written.' })
export class PolicyVersionModel {
  @Field(() => Int)
  version: number;

  @Field(() => JsonScalar, { description: 'The policy document as of this version (issue 7 §3 contract).' })
  document: unknown;

  @Field({ description: 'This version deleted the policy.' })
  deleted: boolean;

  @Field()
  createdAt: Date;

  @Field({ description: "Who wrote it: a user's email, key:<name> for an API key, cli for policies:apply." })
  createdBy: string;
}

@ObjectType('Policy', { description: 'A policy by name (its id), with its current version; `versions` has them all.' })
export class PolicyModel {
  @Field(() => ID, { description: "The policy's name." })
  id: string;

  @Field()
  name: string;

  @Field(() => Int, { description: 'The current version.' })
  version: number;

  @Field({ description: 'org, team, key or node.' })
  scopeKind: string;

  @Field({ description: "The team name, key id or node name ('' for org)." })
  scopeSubject: string;

  @Field(() => JsonScalar, { description: 'The current document.' })
  document: unknown;

  @Field(() => Int)
  quotaCount: number;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field()
  updatedBy: string;

  @Field()
  deleted: boolean;
}

@InputType()
export class PolicyFilter {
  @Field({ nullable: true, description: 'Part of the name or the scope subject.' })
  q?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true })
  scopeKind?: string;

  @Field({ nullable: true })
  scopeSubject?: string;
}

@ObjectType('PolicyProblem')
export class PolicyProblemModel {
  @Field({ description: 'The bad field\'s path, e.g. "quotas[0].limit"; empty for the whole document.' })
  field: string;

  @Field()
  message: string;
}

@ObjectType('PolicyValidation')
export class PolicyValidationModel {
  @Field()
  valid: boolean;

  @Field(() => [PolicyProblemModel])
  problems: PolicyProblemModel[];

  @Field(() => JsonScalar, { nullable: true, description: 'The document in canonical form, defaults filled in, when valid.' })
  document: unknown;
}

@ObjectType('PiiFinding')
export class PiiFindingModel {
  @Field()
  detector: string;

  @Field(() => Int, { description: 'UTF-16 offset of the first character (JavaScript string index).' })
  start: number;

  @Field(() => Int, { description: 'UTF-16 offset after the last character.' })
  end: number;
}

@ObjectType('RedactResult')
export class RedactResultModel {
  @Field()
  text: string;

  @Field(() => [PiiFindingModel])
  findings: PiiFindingModel[];

  @Field()
  blocked: boolean;
}

@ObjectType('PolicyTrialQuota')
export class PolicyTrialQuotaModel {
  @Field()
  name: string;

  @Field()
  metric: string;

  @Field()
  limit: string;

  @Field()
  period: string;

  @Field()
  timeZone: string;

  @Field()
  enforcement: string;

  @Field({ description: 'Whether this quota counts the model tried.' })
  counts: boolean;
}

@ObjectType('PolicyTrial', { description: 'One policy tried on a model name and a text, on its own; nothing reserved or recorded.' })
export class PolicyTrialModel {
  @Field()
  modelAllowed: boolean;

  @Field({ nullable: true, description: 'model_not_allowed or content_policy_violation when a request would be refused.' })
  reason?: string;

  @Field({ nullable: true })
  message?: string;

  @Field({ description: 'The strictest action taken on the text: allow, hash, mask or block.' })
  piiAction: string;

  @Field()
  text: string;

  @Field(() => [PiiFindingModel])
  findings: PiiFindingModel[];

  @Field()
  blocked: boolean;

  @Field({ description: 'The policy keeps personal data on premises and the text has some.' })
  onPremisesOnly: boolean;

  @Field(() => [PolicyTrialQuotaModel])
  quotas: PolicyTrialQuotaModel[];
}
