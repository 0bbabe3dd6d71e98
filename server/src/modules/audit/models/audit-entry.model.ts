import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '../../../engine/graphql/json.scalar';

@ObjectType('AuditEntry', { description: 'One row of the append-only audit log, with the hashes that chain it to the row before.' })
export class AuditEntryModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Position in the chain: 1, 2, 3, … without gaps (a bigint, as text).' })
  sequence: string;

  @Field()
  at: Date;

  @Field({ description: 'Dotted lower camel case, e.g. policy.update, auth.loginFailed, graphql.createNode.' })
  action: string;

  @Field({ description: 'user:<email>, key:<keyId> or system.' })
  actor: string;

  @Field(() => String, { nullable: true })
  actorRole: string | null;

  @Field(() => String, { nullable: true })
  targetType: string | null;

  @Field(() => String, { nullable: true })
  targetId: string | null;

  @Field(() => String, { nullable: true })
  team: string | null;

  @Field(() => JsonScalar, { nullable: true, description: 'The target before the change (policy changes: the document).' })
  before: unknown;

  @Field(() => JsonScalar, { nullable: true, description: 'The target after the change.' })
  after: unknown;

  @Field(() => JsonScalar, { nullable: true, description: 'Anything else the action recorded (mutation arguments, with secrets redacted).' })
  details: unknown;

  @Field(() => String, { nullable: true, description: 'The id of the row before this one.' })
  prevId: string | null;

  @Field({ description: "The previous row's hash (64 zeros for the first row)." })
  prevHash: string;

  @Field({ description: "SHA-256 (hex) of this row's canonical content together with prevHash." })
  hash: string;
}

@ObjectType('AuditChainVerification', { description: 'The result of walking the whole audit chain.' })
export class AuditChainVerificationModel {
  @Field()
  valid: boolean;

  @Field(() => Int, { description: 'Rows that verified before the first broken one (all of them when valid).' })
  checkedRows: number;

  @Field(() => String, { nullable: true, description: 'The first row that does not verify; for a deleted row, its missing sequence.' })
  firstBrokenSequence: string | null;

  @Field(() => String, { nullable: true })
  firstBrokenId: string | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field()
  verifiedAt: Date;
}

@InputType()
export class AuditEntryFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true, description: 'An action (policy.update), or a family ending in a dot (auth.).' })
  action?: string;

  @Field({ nullable: true, description: 'Part of the actor, e.g. an email.' })
  actor?: string;

  @Field({ nullable: true })
  team?: string;

  @Field({ nullable: true })
  targetType?: string;

  @Field({ nullable: true, description: 'From this instant (inclusive).' })
  from?: Date;

  @Field({ nullable: true, description: 'Up to this instant (inclusive).' })
  to?: Date;

  @Field({ nullable: true, description: 'Part of the action, actor, target id, team or details.' })
  q?: string;
}
