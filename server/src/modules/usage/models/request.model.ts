import { Field, Float, ID, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('MetadataEntry')
export class MetadataEntryModel {
  @Field()
  key: string;

  @Field()
  value: string;
}

@ObjectType('Request')
export class RequestModel {
  @Field(() => ID)
  id: string;

  @Field()
  timestamp: Date;

  @Field()
  team: string;

  @Field()
  user: string;

  @Field()
  provider: string;

  @Field()
  node: string;

  @Field()
  model: string;

  @Field()
  operation: string;

  @Field(() => Float)
  inputTokens: number;

  @Field(() => Float)
  outputTokens: number;

  @Field(() => Float)
  cachedInputTokens: number;

  @Field(() => Float)
  latencyMs: number;

  @Field(() => Float, { nullable: true })
  ttftMs: number | null;

  @Field()
  status: string;

  @Field()
  errorType: string;

  @Field(() => Float, { nullable: true, description: 'For display; costNanoUsd is the exact figure.' })
  costUsd: number | null;

  @Field(() => String, { nullable: true, description: 'Exact cost in nano-USD; null when the price was unknown.' })
  costNanoUsd: string | null;

  @Field({ description: 'Where the cost came from: event, catalog or unknown.' })
  costSource: string;

  @Field()
  priceKnown: boolean;

  @Field({ description: 'Empty unless contentVisible: only the admin and compliance roles read content.' })
  prompt: string;

  @Field()
  completion: string;

  @Field(() => [MetadataEntryModel])
  metadata: MetadataEntryModel[];

  @Field({ description: 'False when prompt and completion were withheld from this role.' })
  contentVisible: boolean;

  @Field({ description: "The policy decision that admitted the request (the gateway's or POST /api/v1/authorize's); empty when none was made." })
  decisionId: string;

  @Field({ description: 'Where the serving node is: on-premises or external; empty when not known.' })
  location: string;

  @Field({ description: 'What the personal-data rules did to the request (e.g. mask, hash, block, keep-on-premises); empty when nothing.' })
  piiAction: string;
}

@InputType()
export class RequestFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true })
  q?: string;

  @Field({ nullable: true })
  team?: string;

  @Field({ nullable: true })
  user?: string;

  @Field({ nullable: true })
  model?: string;

  @Field({ nullable: true })
  provider?: string;

  @Field({ nullable: true })
  node?: string;

  @Field({ nullable: true })
  status?: string;

  @Field({ nullable: true })
  timestamp_gte?: Date;

  @Field({ nullable: true })
  timestamp_lte?: Date;

  @Field({ nullable: true })
  priceKnown?: boolean;

  @Field({ nullable: true, description: 'The requests one policy decision admitted.' })
  decisionId?: string;

  @Field({ nullable: true, description: 'on-premises or external.' })
  location?: string;
}
