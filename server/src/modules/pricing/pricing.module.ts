import { Module } from '@nestjs/common';
import { GraphqlScalarsModule } from '../../engine/graphql/graphql-scalars.module';
import { PricingRepository } from './pricing.repository';
import { PricingResolver } from './pricing.resolver';
import { PricingService } from './pricing.service';

@Module({
  imports: [GraphqlScalarsModule],
  providers: [PricingRepository, PricingService, PricingResolver],
  exports: [PricingService],
})
export class PricingModule {}
