import type { MigrationInterface } from 'typeorm';
import { ControlData1764417600000 } from './1764417600000-control-data';
import { InferenceNodes1772409600000 } from './1772409600000-inference-nodes';
import { ScoreDefinitions1796000400000 } from './1796000400000-score-definitions';

/** Applied in this order; TypeORM records each in `warden_migrations`. */
export const postgresMigrations: Array<new () => MigrationInterface> = [ControlData1764417600000, InferenceNodes1772409600000, ScoreDefinitions1796000400000];
