import type { MigrationInterface } from 'typeorm';
import { ControlData1764417600000 } from './1764417600000-control-data';
import { InferenceNodes1772409600000 } from './1772409600000-inference-nodes';
import { RateHistory1795910400000 } from './1795910400000-rate-history';
import { Sessions1795996229000 } from './1795996229000-sessions';
import { Policies1796000300000 } from './1796000300000-policies';
import { ScoreDefinitions1796000400000 } from './1796000400000-score-definitions';
import { TeamsAndScopedKeys1796100000000 } from './1796100000000-teams-and-scoped-keys';
import { AuditLog1796100100000 } from './1796100100000-audit-log';
import { RoutableNodes1796100200000 } from './1796100200000-routable-nodes';
import { NodeAgentHeartbeats1796100300000 } from './1796100300000-node-agent-heartbeats';
import { Alerts1796100500000 } from './1796100500000-alerts';
import { Chargeback1796100600000 } from './1796100600000-chargeback';
import { Compliance1796100400000 } from './1796100400000-compliance';

/** Applied in this order (by timestamp); TypeORM records each in `warden_migrations`. One per line: easy to merge. */
export const postgresMigrations: Array<new () => MigrationInterface> = [
  ControlData1764417600000,
  InferenceNodes1772409600000,
  RateHistory1795910400000,
  Sessions1795996229000,
  Policies1796000300000,
  ScoreDefinitions1796000400000,
  TeamsAndScopedKeys1796100000000,
  AuditLog1796100100000,
  RoutableNodes1796100200000,
  NodeAgentHeartbeats1796100300000,
  Compliance1796100400000,
  Alerts1796100500000,
  Chargeback1796100600000,
];
