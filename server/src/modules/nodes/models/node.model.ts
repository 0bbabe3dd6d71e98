import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '../../../engine/graphql/decimal.scalar';

@ObjectType('NodeLabel')
export class NodeLabelModel {
  @Field()
  key: string;

  @Field()
  value: string;
}

@InputType()
export class NodeLabelInput {
  @Field()
  key: string;

  @Field()
  value: string;
}

@ObjectType('NodeHealth', { description: "The node's last health check (GET {baseUrl}/v1/models)." })
export class NodeHealthModel {
  @Field({ description: 'up, down or unknown (never checked, or no baseUrl).' })
  status: string;

  @Field(() => Float, { nullable: true })
  latencyMs: number | null;

  @Field(() => Date, { nullable: true })
  checkedAt: Date | null;

  @Field(() => String, { nullable: true })
  error: string | null;
}

@ObjectType('Node')
export class NodeModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Unique; the `node` of request events and GPU samples.' })
  name: string;

  @Field({ description: 'vllm, tgi, llama.cpp, ollama, other, openai, anthropic or openai-compatible.' })
  kind: string;

  @Field(() => String, { nullable: true, description: 'Where the gateway reaches the node (OpenAI API, or Anthropic Messages for anthropic).' })
  baseUrl: string | null;

  @Field({ description: 'Whether an API key is stored for the node (the key itself is write-only).' })
  hasApiKey: boolean;

  @Field({ description: 'on-premises or external: personal data a policy keeps on premises only goes to on-premises nodes.' })
  location: string;

  @Field(() => [String], { description: 'Models declared by an admin (createNode/updateNode `models`).' })
  declaredModels: string[];

  @Field(() => [String], { description: 'Models the node listed at its last health check.' })
  discoveredModels: string[];

  @Field(() => [String], { description: 'Declared and discovered models: what the gateway routes to this node.' })
  models: string[];

  @Field({ description: 'A disabled node takes no gateway traffic.' })
  enabled: boolean;

  @Field(() => NodeHealthModel)
  health: NodeHealthModel;

  @Field(() => [String], { description: "Models the node serves that its node policy does not allow (as of the last health check)." })
  flaggedModels: string[];

  @Field(() => Int, { nullable: true, description: 'Lower is tried first; nodes without one come after, by name.' })
  routingPreference: number | null;

  @Field(() => [NodeLabelModel])
  labels: NodeLabelModel[];

  @Field(() => DecimalScalar, { description: 'USD per hour (amortised hardware or cloud rate), of the rate version in force now.' })
  hourlyCostUsd: string;

  @Field({ deprecationReason: 'hourlyCostUsd is exact now (Decimal).', description: 'hourlyCostUsd as stored, nine decimals.' })
  hourlyCostUsdExact: string;

  @Field(() => DecimalScalar, { description: 'USD per kWh, of the rate version in force now.' })
  energyPriceUsdPerKwh: string;

  @Field({ deprecationReason: 'energyPriceUsdPerKwh is exact now (Decimal).' })
  energyPriceUsdPerKwhExact: string;

  @Field(() => DecimalScalar, { description: 'Facility overhead on measured GPU power (PUE), 1 to 5, of the rate version in force now.' })
  powerOverheadFactor: string;

  @Field(() => Date, { nullable: true, description: 'When the rates shown took (or take) effect.' })
  ratesEffectiveFrom: Date | null;

  @Field()
  notes: string;

  @Field(() => String, { nullable: true, description: "The team that carries this node's idle cost in chargeback; null: the node keeps it." })
  ownerTeam: string | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType('NodeRateVersion', { description: "One version of a node's rates: from effectiveFrom until the next version." })
export class NodeRateVersionModel {
  @Field(() => ID)
  id: string;

  @Field()
  effectiveFrom: Date;

  @Field(() => Date, { nullable: true, description: 'When the next version takes over; null for the latest.' })
  effectiveUntil: Date | null;

  @Field({ description: 'The version that prices an hour happening now.' })
  inForce: boolean;

  @Field(() => DecimalScalar)
  hourlyCostUsd: string;

  @Field(() => DecimalScalar)
  energyPriceUsdPerKwh: string;

  @Field(() => DecimalScalar)
  powerOverheadFactor: string;
}

@InputType()
export class NodeFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true, description: 'Substring of the name.' })
  q?: string;

  @Field({ nullable: true })
  name?: string;

  @Field({ nullable: true })
  kind?: string;
}
