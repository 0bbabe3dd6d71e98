import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
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

@ObjectType('Node')
export class NodeModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Unique; the `node` of request events and GPU samples.' })
  name: string;

  @Field({ description: 'vllm, tgi, llama.cpp, ollama or other.' })
  kind: string;

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
