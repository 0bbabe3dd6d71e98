import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

/** An API key as the console lists it: never its secret or hash. */
@ObjectType('ApiKey')
export class ApiKeyModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'The first characters of the secret, to tell keys apart.' })
  prefix: string;

  @Field(() => String, { nullable: true, description: "The key's team (name); null for an organisation-level key." })
  team: string | null;

  @Field(() => ID, { nullable: true })
  teamId: string | null;

  @Field(() => [String], { description: 'Any of ingest, gateway, authorize, admin.' })
  scopes: string[];

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'Refused from this instant on; null: never expires.' })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last accepted use, recorded at most once a minute.' })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;

  @Field({ description: 'Neither revoked nor expired.' })
  active: boolean;
}

/** The answer to createApiKey: the key's record, and its secret, which is shown this once and never again. */
@ObjectType('CreatedApiKey')
export class CreatedApiKeyModel extends ApiKeyModel {
  @Field({ description: 'Send as "Authorization: Bearer <secret>". Not stored: it cannot be shown again.' })
  secret: string;

  @Field(() => ApiKeyModel, { description: 'The same record, for clients that read it apart from the secret.' })
  key: ApiKeyModel;
}

@InputType()
export class ApiKeyFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true, description: 'Part of the name or prefix.' })
  q?: string;

  @Field({ nullable: true, description: 'Keys of this team (id or name); "" for organisation-level keys.' })
  team?: string;

  @Field({ nullable: true })
  scope?: string;

  @Field({ nullable: true })
  active?: boolean;
}
