import { Field, Float, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum HallucinationDimension {
  MODEL = 'MODEL',
  TEAM = 'TEAM',
  NODE = 'NODE',
  DAY = 'DAY',
  EVALUATOR = 'EVALUATOR',
}
registerEnumType(HallucinationDimension, {
  name: 'HallucinationDimension',
  description: 'What hallucination rates are grouped by; DAY is the UTC day of the request.',
});

@InputType({ description: 'Narrows the requests (team, model, node, provider) and the scores (evaluator, name) counted.' })
export class EvaluationFilter {
  @Field({ nullable: true })
  team?: string;

  @Field({ nullable: true })
  model?: string;

  @Field({ nullable: true })
  node?: string;

  @Field({ nullable: true })
  provider?: string;

  @Field({ nullable: true, description: 'Only scores from this evaluator (e.g. hhem-2.1).' })
  evaluator?: string;

  @Field({ nullable: true, description: 'Only scores of this name.' })
  name?: string;
}

@ObjectType('HallucinationRateRow', {
  description:
    'Requests made in the range, of which `scored` have a hallucination verdict and `hallucinated` were flagged. Per request and score name the latest score counts; a request is hallucinated when any of its verdicts says so.',
})
export class HallucinationRateRowModel {
  @Field(() => String, { nullable: true })
  team: string | null;

  @Field(() => String, { nullable: true })
  model: string | null;

  @Field(() => String, { nullable: true })
  node: string | null;

  @Field(() => Date, { nullable: true })
  day: Date | null;

  @Field(() => String, { nullable: true })
  evaluator: string | null;

  @Field(() => Float, { description: 'Requests in the group (with EVALUATOR: in the group\'s other dimensions, whoever scored them).' })
  requests: number;

  @Field(() => Float, { description: 'Requests with a verdict (from this evaluator, when grouped by EVALUATOR).' })
  scored: number;

  @Field(() => Float)
  hallucinated: number;

  @Field(() => Float, { nullable: true, description: 'hallucinated / scored as a float (exact counts beside it); null when nothing was scored.' })
  rate: number | null;
}

@ObjectType('ScoreBucket')
export class ScoreBucketModel {
  @Field(() => Float, { nullable: true, description: 'Numeric scores: the bucket\'s lower bound (inclusive).' })
  lower: number | null;

  @Field(() => Float, { nullable: true, description: 'Numeric scores: the upper bound (exclusive, inclusive for the last bucket).' })
  upper: number | null;

  @Field({ description: 'Boolean and categorical scores: the value ("true", "false" or the label); empty for numeric.' })
  label: string;

  @Field(() => Float)
  count: number;

  @Field(() => Float, { description: 'Scores in the bucket flagged hallucinated.' })
  hallucinated: number;
}

@ObjectType('ScoreDistribution', { description: 'The scores of one name given to requests made in the range.' })
export class ScoreDistributionModel {
  @Field()
  name: string;

  @Field()
  dataType: string;

  @Field(() => String, { nullable: true })
  direction: string | null;

  @Field(() => Float, { nullable: true })
  threshold: number | null;

  @Field(() => Float)
  scores: number;

  @Field(() => [ScoreBucketModel])
  buckets: ScoreBucketModel[];
}

@ObjectType('ScoredRequest', { description: 'A request with its latest score of one name; the request itself through `request` (content per role).' })
export class ScoredRequestModel {
  @Field()
  requestId: string;

  @Field()
  team: string;

  @Field()
  model: string;

  @Field()
  node: string;

  @Field()
  timestamp: Date;

  @Field()
  scoreId: string;

  @Field()
  name: string;

  @Field()
  evaluator: string;

  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field(() => Boolean, { nullable: true })
  booleanValue: boolean | null;

  @Field()
  label: string;

  @Field(() => Boolean, { nullable: true })
  hallucinated: boolean | null;

  @Field()
  comment: string;

  @Field()
  scoredAt: Date;
}

@ObjectType('ModelComparisonRow')
export class ModelComparisonRowModel {
  @Field()
  model: string;

  @Field(() => Float)
  requests: number;

  @Field(() => Float)
  scored: number;

  @Field(() => Float)
  hallucinated: number;

  @Field(() => Float, { nullable: true, description: 'hallucinated / scored; null when nothing was scored.' })
  rate: number | null;

  @Field(() => Float, { nullable: true, description: 'Wilson 95% interval of the rate: lower bound.' })
  rateLow: number | null;

  @Field(() => Float, { nullable: true, description: 'Wilson 95% interval of the rate: upper bound.' })
  rateHigh: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean of the evaluator\'s numeric scores (latest per request and name).' })
  meanValue: number | null;
}

@ObjectType('ModelComparison', { description: 'Models compared on the verdicts of one evaluator over the same range.' })
export class ModelComparisonModel {
  @Field()
  evaluator: string;

  @Field(() => [ModelComparisonRowModel], { description: 'One row per model asked, in the order asked.' })
  rows: ModelComparisonRowModel[];

  @Field(() => Float, { nullable: true, description: 'Rate of the first model minus the rate of the second (two models only).' })
  rateDifference: number | null;

  @Field(() => Float, { nullable: true, description: 'Two-sided p-value of a two-proportion z-test on the first two models\' rates.' })
  pValue: number | null;
}

