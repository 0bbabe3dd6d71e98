import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('LegalHold')
export class LegalHoldModel {
  @Field(() => ID)
  id: string;

  @Field()
  team: string;

  @Field()
  reason: string;

  @Field()
  placedBy: string;

  @Field()
  placedAt: Date;

  @Field(() => String, { nullable: true })
  releasedBy: string | null;

  @Field(() => Date, { nullable: true })
  releasedAt: Date | null;

  @Field({ description: 'Not released: deletion is suspended for the team.' })
  active: boolean;
}

@ObjectType('RetentionStatus', { description: 'One data class of one team (or node, for gpu): what is kept against the policy.' })
export class RetentionStatusModel {
  @Field({ description: 'content, requests, scores or gpu.' })
  dataClass: string;

  @Field(() => String, { nullable: true })
  team: string | null;

  @Field(() => String, { nullable: true, description: 'The node, for gpu samples.' })
  node: string | null;

  @Field(() => Int, { nullable: true, description: "The policy's days (null: content kept as long as its row)." })
  policyDays: number | null;

  @Field({ description: 'Under a legal hold: nothing of the team is deleted.' })
  held: boolean;

  @Field(() => Date, { nullable: true, description: 'The oldest row kept (content: the oldest request still holding content).' })
  oldestKept: Date | null;

  @Field(() => Float)
  rowsKept: number;

  @Field()
  withinPolicy: boolean;

  @Field(() => Date, { nullable: true })
  lastSweepAt: Date | null;

  @Field(() => Float, { description: 'Rows deleted (content: emptied) by the last sweep.' })
  lastSweepRows: number;

  @Field(() => Int, { description: 'Deletion receipts written to the audit log for this class and subject.' })
  receipts: number;
}
