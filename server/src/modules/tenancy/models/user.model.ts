import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

/** A console user. There is deliberately no field for the password or its hash. */
@ObjectType('User')
export class UserModel {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field()
  name: string;

  @Field({ description: 'admin, compliance, finance, sre or viewer.' })
  role: string;

  @Field(() => [String], { description: 'Names of the teams the user belongs to.' })
  teams: string[];

  @Field(() => [ID], { description: 'Ids of the same teams.' })
  teamIds: string[];

  @Field({ description: 'False once deactivated: the user cannot sign in and their sessions are refused.' })
  active: boolean;

  @Field(() => Date, { nullable: true })
  deactivatedAt: Date | null;

  @Field()
  createdAt: Date;
}

@InputType()
export class UserFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true, description: 'Part of the email or name.' })
  q?: string;

  @Field({ nullable: true })
  role?: string;

  @Field({ nullable: true, description: 'Members of this team (id or name).' })
  team?: string;

  @Field({ nullable: true })
  active?: boolean;
}
