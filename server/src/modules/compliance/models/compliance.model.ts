import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { RetentionStatusModel } from '../../retention/models/retention.model';

export enum TimeBucket {
  HOUR = 'HOUR',
  DAY = 'DAY',
}
registerEnumType(TimeBucket, { name: 'TimeBucket' });

@ObjectType('DecisionBucket')
export class DecisionBucketModel {
  @Field()
  bucket: Date;

  @Field(() => Float)
  decisions: number;

  @Field(() => Float)
  allowed: number;

  @Field(() => Float)
  denied: number;
}

@ObjectType('DenialBucket')
export class DenialBucketModel {
  @Field()
  bucket: Date;

  @Field()
  reason: string;

  @Field(() => Float)
  denied: number;
}

@ObjectType('DenialGroup')
export class DenialGroupModel {
  @Field()
  team: string;

  @Field()
  model: string;

  @Field()
  reason: string;

  @Field(() => Float)
  denied: number;
}

@ObjectType('DenialCount')
export class DenialCountModel {
  @Field()
  key: string;

  @Field(() => Float)
  denied: number;
}

@ObjectType('DecisionFigures', { description: 'Policy decisions in the range: over time, and denials by reason, team and model.' })
export class DecisionFiguresModel {
  @Field(() => Float)
  decisions: number;

  @Field(() => Float)
  allowed: number;

  @Field(() => Float)
  denied: number;

  @Field(() => [DecisionBucketModel])
  timeline: DecisionBucketModel[];

  @Field(() => [DenialBucketModel], { description: 'Denials per time bucket and reason.' })
  denialTimeline: DenialBucketModel[];

  @Field(() => [DenialGroupModel], { description: 'Denials per team, model and reason, most first (at most 1000).' })
  denials: DenialGroupModel[];

  @Field(() => [DenialCountModel])
  byReason: DenialCountModel[];

  @Field(() => [DenialCountModel])
  byTeam: DenialCountModel[];

  @Field(() => [DenialCountModel])
  byModel: DenialCountModel[];
}

@ObjectType('PersonalDataDetection', { description: 'Requests in which one detector fired, per team and what was done.' })
export class PersonalDataDetectionModel {
  @Field()
  team: string;

  @Field()
  detector: string;

  @Field({ description: 'The action stored with the request: mask, hash, block, or allow (kept as sent).' })
  action: string;

  @Field({ description: 'masked, hashed, blocked or allowed.' })
  outcome: string;

  @Field(() => Float)
  requests: number;

  @Field(() => Float)
  findings: number;

  @Field(() => Float, { description: 'Of these requests, those served on-premises.' })
  onPremises: number;
}

@ObjectType('DataLocality', { description: "A team's requests (null team: all teams) served on-premises vs external." })
export class DataLocalityModel {
  @Field(() => String, { nullable: true })
  team: string | null;

  @Field(() => Float)
  requests: number;

  @Field(() => Float)
  onPremises: number;

  @Field(() => Float)
  external: number;

  @Field(() => Float, { nullable: true, description: 'onPremises / requests; null without requests.' })
  onPremisesShare: number | null;

  @Field(() => Float)
  withPersonalData: number;

  @Field(() => Float)
  personalDataOnPremises: number;

  @Field(() => Float)
  personalDataExternal: number;

  @Field(() => Float, { nullable: true, description: 'personalDataOnPremises / withPersonalData; null without such requests.' })
  personalDataOnPremisesShare: number | null;
}

@ObjectType('AuditChainStatus')
export class AuditChainStatusModel {
  @Field()
  valid: boolean;

  @Field(() => Float)
  checkedRows: number;

  @Field(() => String, { nullable: true })
  firstBrokenSequence: string | null;

  @Field(() => String, { nullable: true })
  firstBrokenId: string | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field()
  verifiedAt: Date;
}

@ObjectType('FlaggedNode', { description: 'A node that served models outside its policy, as of its last health check.' })
export class FlaggedNodeModel {
  @Field()
  node: string;

  @Field(() => [String], { description: 'The models it serves that its node policy does not allow.' })
  models: string[];

  @Field({ description: 'on-premises or external.' })
  location: string;

  @Field(() => Date, { nullable: true })
  checkedAt: Date | null;
}

@ObjectType('ComplianceView', { description: 'The compliance dashboard: each figure is read only when asked for.' })
export class ComplianceViewModel {
  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => [String])
  teams: string[];

  @Field(() => TimeBucket)
  bucket: TimeBucket;
}

export { RetentionStatusModel };

@ObjectType('Export')
export class ExportModel {
  @Field(() => ID, { description: 'Also the id of its job: job(id) follows its progress.' })
  id: string;

  @Field()
  kind: string;

  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => [String])
  teams: string[];

  @Field()
  includeContent: boolean;

  @Field()
  requestedBy: string;

  @Field({ description: 'queued, running, completed or failed.' })
  state: string;

  @Field(() => Float, { description: 'Percent done (0–100).' })
  progress: number;

  @Field(() => Float)
  rows: number;

  @Field(() => Float)
  bytes: number;

  @Field()
  fileName: string;

  @Field(() => String, { nullable: true })
  error: string | null;

  @Field(() => AuditChainStatusModel, { nullable: true, description: 'AUDIT and REPORT: the chain verification written into the file.' })
  chainVerification: AuditChainStatusModel | null;

  @Field(() => String, { nullable: true, description: 'GET this with the session to download, once completed.' })
  downloadUrl: string | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}

