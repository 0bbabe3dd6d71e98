import { Field, Float, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar } from '../../../engine/graphql/decimal.scalar';

export enum SpendDimension {
  TEAM = 'TEAM',
  MODEL = 'MODEL',
  PROVIDER = 'PROVIDER',
  NODE = 'NODE',
  USER = 'USER',
  DAY = 'DAY',
  HOUR = 'HOUR',
}
registerEnumType(SpendDimension, { name: 'SpendDimension', description: 'What spend is grouped by; DAY and HOUR are UTC.' });

@InputType()
export class SpendFilter {
  @Field({ nullable: true })
  team?: string;

  @Field({ nullable: true })
  model?: string;

  @Field({ nullable: true })
  provider?: string;

  @Field({ nullable: true })
  node?: string;

  @Field({ nullable: true })
  user?: string;
}

@ObjectType('SpendRow')
export class SpendRowModel {
  @Field(() => String, { nullable: true })
  team: string | null;

  @Field(() => String, { nullable: true })
  model: string | null;

  @Field(() => String, { nullable: true })
  provider: string | null;

  @Field(() => String, { nullable: true })
  node: string | null;

  @Field(() => String, { nullable: true })
  user: string | null;

  @Field(() => Date, { nullable: true })
  day: Date | null;

  @Field(() => Date, { nullable: true })
  hour: Date | null;

  @Field(() => Float)
  requests: number;

  @Field(() => Float)
  errors: number;

  @Field(() => Float)
  inputTokens: number;

  @Field(() => Float)
  outputTokens: number;

  @Field(() => Float)
  cachedInputTokens: number;

  @Field(() => Float, { description: 'For display; costNanoUsd is exact.' })
  costUsd: number;

  @Field({ description: 'Exact cost of the priced requests, in nano-USD (decimal string).' })
  costNanoUsd: string;

  @Field(() => Float, { description: 'Requests whose price is unknown: their cost is not in costUsd.' })
  unpricedRequests: number;

  @Field(() => DecimalScalar, {
    description:
      "GPU cost of registered nodes allocated to this group's requests (node-hour cost split by weighted tokens), exact; " +
      'on an idle line, the idle cost of the node its owner team carries. Not in costUsd.',
  })
  onPremCostUsd: string;

  @Field({ description: 'onPremCostUsd in nano-USD (decimal string).' })
  onPremCostNanoUsd: string;

  @Field(() => DecimalScalar, { description: 'All in: costUsd (hosted APIs) + onPremCostUsd, exact.' })
  totalCostUsd: string;

  @Field({ description: 'totalCostUsd in nano-USD (decimal string).' })
  totalCostNanoUsd: string;

  @Field({ description: 'Part of onPremCostUsd comes from an hour not yet closed: estimated from the hour so far.' })
  estimated: boolean;

  @Field({ description: "An idle line: a node's idle hours carried by its owner team (no requests, only onPremCostUsd)." })
  idle: boolean;

  @Field(() => Float, { nullable: true })
  latencyP50Ms: number | null;

  @Field(() => Float, { nullable: true })
  latencyP95Ms: number | null;
}

@ObjectType('UnpricedModel')
export class UnpricedModelModel {
  @Field()
  model: string;

  @Field()
  provider: string;

  @Field(() => Float)
  requests: number;
}
