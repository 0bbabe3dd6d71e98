import { Field, Float, ID, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('ScoreDefinition', { description: 'What one score name means: type, range, direction and threshold, from which scores get their hallucinated flag.' })
export class ScoreDefinitionModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The score name it defines (e.g. hhem-2.1); cannot change once created.' })
  name: string;

  @Field()
  description: string;

  @Field({ description: 'numeric, boolean or categorical.' })
  dataType: string;

  @Field(() => Float, { nullable: true, description: 'Numeric only: the smallest value accepted (inclusive); null = unbounded.' })
  minimum: number | null;

  @Field(() => Float, { nullable: true, description: 'Numeric only: the largest value accepted (inclusive); null = unbounded.' })
  maximum: number | null;

  @Field(() => String, { nullable: true, description: 'higher_is_better or lower_is_better; null = says nothing about hallucination.' })
  direction: string | null;

  @Field(() => Float, { nullable: true, description: 'Numeric only: the pass mark; a value exactly at it is not hallucinated.' })
  threshold: number | null;

  @Field(() => [String], { description: 'Categorical only: every label a value may take.' })
  labels: string[];

  @Field(() => [String], { description: 'Categorical only: the labels that mean hallucinated.' })
  hallucinatedLabels: string[];

  @Field({ description: 'shipped (seeded on first start), user, or auto (inferred from a first score).' })
  origin: string;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@InputType()
export class ScoreDefinitionFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true, description: 'Substring of the name.' })
  q?: string;

  @Field({ nullable: true })
  dataType?: string;

  @Field({ nullable: true })
  origin?: string;
}
