import { Field, Float, ID, InputType, ObjectType } from '@nestjs/graphql';

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

  @Field(() => Float, { description: 'USD per hour (amortised hardware or cloud rate). For display; hourlyCostUsdExact is exact.' })
  hourlyCostUsd: number;

  @Field({ description: 'hourlyCostUsd as an exact decimal string.' })
  hourlyCostUsdExact: string;

  @Field(() => Float, { description: 'USD per kWh. For display; energyPriceUsdPerKwhExact is exact.' })
  energyPriceUsdPerKwh: number;

  @Field()
  energyPriceUsdPerKwhExact: string;

  @Field(() => Float, { description: 'Facility overhead on measured GPU power (PUE), 1 to 5.' })
  powerOverheadFactor: number;

  @Field()
  notes: string;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
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
