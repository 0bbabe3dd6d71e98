import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Team')
export class TeamModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Slug-like and fixed: what request events, scores and policies call the team.' })
  name: string;

  @Field({ description: 'For people; may change.' })
  displayName: string;

  @Field(() => ID, { nullable: true, description: 'The unit above this team, if any.' })
  parentId: string | null;

  @Field(() => String, { nullable: true, description: "The parent's name." })
  parent: string | null;

  @Field(() => Int)
  memberCount: number;

  @Field()
  createdAt: Date;
}

@InputType()
export class TeamFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true, description: 'Part of the name or display name.' })
  q?: string;

  @Field(() => ID, { nullable: true, description: 'Teams directly under this one (a team id).' })
  parentId?: string;
}
