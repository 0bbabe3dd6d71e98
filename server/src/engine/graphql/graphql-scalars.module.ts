import { Module } from '@nestjs/common';
import { DecimalScalar } from './decimal.scalar';

/**
 * Warden's own GraphQL scalars, registered once: Nest builds each from its provider, with its own graphql module
 * instance. Every feature module whose types use one imports this module (Nest keeps one instance of it).
 */
@Module({ providers: [DecimalScalar] })
export class GraphqlScalarsModule {}
