import { Module } from '@nestjs/common';
import { TenancyModule } from '../tenancy/tenancy.module';
import { UsageModule } from '../usage/usage.module';
import { EvaluationsRepository } from './evaluations.repository';
import { EvaluationsResolver } from './evaluations.resolver';
import { EvaluationsService } from './evaluations.service';
import { ScoreDefinitionsRepository } from './score-definitions.repository';
import { ScoreDefinitionsResolver } from './score-definitions.resolver';
import { ScoreDefinitionsService } from './score-definitions.service';
import { ScoresController } from './scores.controller';
import { ScoresRepository } from './scores.repository';
import { ScoresResolver } from './scores.resolver';
import { ScoresService } from './scores.service';

/** Evaluations: score definitions, score ingest (REST, GraphQL, and OTLP through ScoresService), hallucination analytics. */
@Module({
  imports: [TenancyModule, UsageModule],
  controllers: [ScoresController],
  providers: [
    ScoreDefinitionsRepository,
    ScoreDefinitionsService,
    ScoreDefinitionsResolver,
    ScoresRepository,
    ScoresService,
    ScoresResolver,
    EvaluationsRepository,
    EvaluationsService,
    EvaluationsResolver,
  ],
  exports: [ScoresService, ScoreDefinitionsService, EvaluationsService],
})
export class EvalsModule {}
