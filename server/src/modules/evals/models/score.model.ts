import { Field, Float, ObjectType } from '@nestjs/graphql';

@ObjectType('ScoreReceipt', { description: 'What became of a score sent with createScore.' })
export class ScoreReceiptModel {
  @Field({ description: 'The score id (generated when none was given).' })
  id: string;

  @Field({ description: 'accepted, or duplicate when a score with this id was already stored for the team.' })
  status: string;

  @Field()
  team: string;

  @Field()
  name: string;

  @Field(() => Boolean, { nullable: true, description: 'The flag derived from the definition; null when it says nothing about hallucination. Null for a duplicate.' })
  hallucinated: boolean | null;

  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field(() => Boolean, { nullable: true })
  booleanValue: boolean | null;

  @Field()
  label: string;
}
