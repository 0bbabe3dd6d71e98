import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Price')
export class PriceModel {
  @Field(() => ID)
  id: string;

  @Field()
  modelPattern: string;

  @Field()
  provider: string;

  @Field(() => Float)
  inputPerMillionUsd: number;

  @Field(() => Float)
  outputPerMillionUsd: number;

  @Field(() => Float, { nullable: true })
  cachedInputPerMillionUsd: number | null;

  @Field()
  effectiveFrom: Date;

  @Field()
  currency: string;

  @Field()
  source: string;
}

@InputType()
export class PriceFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true })
  q?: string;

  @Field({ nullable: true })
  provider?: string;

  @Field({ nullable: true })
  source?: string;
}

@ObjectType()
export class ImportResultModel {
  @Field(() => Int)
  imported: number;

  @Field(() => Int)
  skipped: number;

  @Field(() => [String])
  errors: string[];
}

@ObjectType('Job')
export class JobModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  state: string;

  @Field(() => Float)
  progress: number;

  @Field({ nullable: true })
  error?: string;
}
