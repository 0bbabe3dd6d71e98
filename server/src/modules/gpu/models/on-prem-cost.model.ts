import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '../../../engine/graphql/decimal.scalar';

@ObjectType('OnPremModelCost')
export class OnPremModelCostModel {
  @Field()
  node: string;

  @Field()
  model: string;

  @Field(() => Float)
  requests: number;

  @Field(() => Float)
  inputTokens: number;

  @Field(() => Float)
  outputTokens: number;

  @Field(() => Int, { description: 'Node-hours in which this model was served.' })
  busyHours: number;

  @Field(() => DecimalScalar, { description: 'USD, exact; allocatedCostNanoUsd is the same in nano-USD.' })
  allocatedCostUsd: string;

  @Field({ description: 'Node cost allocated to this model, exact nano-USD (decimal string).' })
  allocatedCostNanoUsd: string;

  @Field()
  inputCostNanoUsd: string;

  @Field()
  outputCostNanoUsd: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Effective USD per 1M input tokens (nine decimals, half-up); null when no input tokens.' })
  usdPerMillionInputTokens: string | null;

  @Field(() => String, { nullable: true, description: 'Exact decimal USD per 1M input tokens (nine decimals, half-up).' })
  usdPerMillionInputTokensExact: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  usdPerMillionOutputTokens: string | null;

  @Field(() => String, { nullable: true })
  usdPerMillionOutputTokensExact: string | null;
}

@ObjectType('OnPremNodeCost')
export class OnPremNodeCostModel {
  @Field()
  node: string;

  @Field(() => Int, { description: 'Hours in which the node sent GPU samples or served requests.' })
  observedHours: number;

  @Field(() => Int)
  busyHours: number;

  @Field(() => Int, { description: 'Observed hours in which no token was served.' })
  idleHours: number;

  @Field(() => Int, { description: "Observed hours before the node's first rate version: cost unknown, in no figure." })
  unpricedHours: number;

  @Field(() => DecimalScalar, { description: 'USD, exact; the *NanoUsd fields are the same in nano-USD.' })
  totalCostUsd: string;

  @Field()
  totalCostNanoUsd: string;

  @Field({ description: 'Hourly cost × observed hours.' })
  hourlyCostNanoUsd: string;

  @Field({ description: 'Measured energy × price × overhead.' })
  energyCostNanoUsd: string;

  @Field(() => Float, { description: 'Measured GPU energy before overhead, kWh (display).' })
  energyKwh: number;

  @Field(() => DecimalScalar)
  allocatedCostUsd: string;

  @Field({ description: 'Cost of busy hours: spread over the tokens served (the per-model rows sum to this).' })
  allocatedCostNanoUsd: string;

  @Field(() => DecimalScalar)
  idleCostUsd: string;

  @Field({ description: 'Cost of idle hours: NOT in any per-token figure.' })
  idleCostNanoUsd: string;
}

@ObjectType('HostedModelPrice')
export class HostedModelPriceModel {
  @Field({ description: 'The comparison model name as asked.' })
  model: string;

  @Field({ description: 'False when the catalog has no price for it at `to`.' })
  priced: boolean;

  @Field(() => String, { nullable: true })
  provider: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  usdPerMillionInputTokens: string | null;

  @Field(() => String, { nullable: true })
  usdPerMillionInputTokensExact: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  usdPerMillionOutputTokens: string | null;

  @Field(() => String, { nullable: true })
  usdPerMillionOutputTokensExact: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'What all tokens served on-prem in the range would have cost on this model, USD.' })
  costOfServedTokensUsd: string | null;

  @Field(() => String, { nullable: true })
  costOfServedTokensNanoUsd: string | null;
}

@ObjectType('OnPremCost')
export class OnPremCostModel {
  @Field({ description: 'Start of the range, floored to the hour.' })
  from: Date;

  @Field({ description: 'End of the range, raised to the hour.' })
  to: Date;

  @Field(() => Float, { description: 'Weight of one input token in the allocation.' })
  inputTokenWeight: number;

  @Field(() => Float, { description: 'Weight of one output token (decode costs more GPU time per token than prefill).' })
  outputTokenWeight: number;

  @Field({ description: 'How the figures are computed, in words.' })
  method: string;

  @Field(() => [OnPremModelCostModel])
  models: OnPremModelCostModel[];

  @Field(() => [OnPremNodeCostModel])
  nodes: OnPremNodeCostModel[];

  @Field(() => [HostedModelPriceModel])
  hostedComparison: HostedModelPriceModel[];

  @Field(() => [String], { description: 'Nodes that served tokens but are not registered: cost unknown, left out.' })
  unregisteredNodes: string[];

  @Field(() => DecimalScalar)
  totalCostUsd: string;

  @Field()
  totalCostNanoUsd: string;

  @Field(() => DecimalScalar)
  idleCostUsd: string;

  @Field()
  idleCostNanoUsd: string;
}
