import { Module } from '@nestjs/common';
import { PricingRepository } from './pricing.repository';
import { PricingResolver } from './pricing.resolver';
import { PricingService } from './pricing.service';

@Module({
  providers: [PricingRepository, PricingService, PricingResolver],
  exports: [PricingService],
})
export class PricingModule {}
