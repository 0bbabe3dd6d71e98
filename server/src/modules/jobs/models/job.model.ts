import { Field, Float, ID, ObjectType } from '@nestjs/graphql';

/** A background job as the console follows it (re-pricing, reports, exports). */
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
