import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar } from '../../../engine/graphql/decimal.scalar';

export enum PriceMatchKind {
  /** The pattern is one model name (no regex operator): it beats every pattern of its provider. */
  EXACT = 'EXACT',
  PATTERN = 'PATTERN',
}
registerEnumType(PriceMatchKind, { name: 'PriceMatchKind', description: 'An exact model name beats a pattern.' });

export enum PriceShadowRelation {
  SHADOWS = 'SHADOWS',
  SHADOWED_BY = 'SHADOWED_BY',
}
registerEnumType(PriceShadowRelation, { name: 'PriceShadowRelation' });

@ObjectType('Price', { description: 'One version of a price: an entry (pattern + provider) from effectiveFrom until its next version.' })
export class PriceModel {
  @Field(() => ID)
  id: string;

  @Field()
  modelPattern: string;

  @Field(() => PriceMatchKind)
  matchKind: PriceMatchKind;

  @Field()
  provider: string;

  @Field(() => DecimalScalar, { description: 'USD per 1M input tokens, exact.' })
  inputPerMillionUsd: string;

  @Field(() => DecimalScalar)
  outputPerMillionUsd: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Null: cached input tokens pay the input rate.' })
  cachedInputPerMillionUsd: string | null;

  @Field()
  effectiveFrom: Date;

  @Field()
  currency: string;

  @Field()
  source: string;

  @Field(() => String, { nullable: true, description: 'Source measured: the node whose on-prem cost per token this price was measured on.' })
  measuredNode?: string | null;

  @Field(() => Date, { nullable: true, description: 'Source measured: start of the window the cost was measured over.' })
  measuredFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Source measured: end (exclusive) of the measured window.' })
  measuredTo?: Date | null;
}

@ObjectType('PriceVersion')
export class PriceVersionModel {
  @Field(() => ID)
  id: string;

  @Field()
  effectiveFrom: Date;

  @Field(() => Date, { nullable: true, description: 'When the next version takes over; null for the latest.' })
  effectiveUntil: Date | null;

  @Field({ description: 'The version that prices an event happening now.' })
  inForce: boolean;

  @Field(() => DecimalScalar)
  inputPerMillionUsd: string;

  @Field(() => DecimalScalar)
  outputPerMillionUsd: string;

  @Field(() => DecimalScalar, { nullable: true })
  cachedInputPerMillionUsd: string | null;

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

@ObjectType('PriceReference')
export class PriceReferenceModel {
  @Field()
  modelPattern: string;

  @Field()
  provider: string;

  @Field()
  effectiveFrom: Date;

  @Field()
  source: string;
}

@ObjectType('PriceShadowing', { description: 'An imported entry and a catalog entry that compete for the same events.' })
export class PriceShadowingModel {
  @Field(() => PriceReferenceModel, { description: 'The imported entry.' })
  entry: PriceReferenceModel;

  @Field(() => PriceShadowRelation)
  relation: PriceShadowRelation;

  @Field(() => PriceReferenceModel)
  other: PriceReferenceModel;

  @Field({ description: "The provider whose events are concerned ('' for generic)." })
  provider: string;

  @Field({ description: 'A model name both match.' })
  modelName: string;

  @Field(() => Int, { description: 'How many model names the catalog knows that both match.' })
  modelNames: number;

  @Field()
  reason: string;
}

@ObjectType()
export class ImportResultModel {
  @Field(() => Int)
  imported: number;

  @Field(() => Int)
  skipped: number;

  @Field(() => [String])
  errors: string[];

  @Field(() => [PriceShadowingModel], { description: 'At most 200; shadowingCount has the total.' })
  shadowing: PriceShadowingModel[];

  @Field(() => Int)
  shadowingCount: number;
}
