import { AlertChannelEntity, AlertDeliveryEntity, AlertEventEntity, AlertRuleEntity } from './modules/alerts/alert.entities';
import { AuditEntryEntity } from './modules/audit/audit-entry.entity';
import { ChargebackReportEntity } from './modules/chargeback/chargeback-report.entity';
import { ExportEntity } from './modules/compliance/exports/export.entity';
import { ScoreDefinitionEntity, ScoreDefinitionSeedEntity } from './modules/evals/score-definition.entity';
import { NodeHeartbeatEntity } from './modules/nodes/agent/node-heartbeat.entity';
import { NodeRateVersionEntity } from './modules/nodes/node-rate-version.entity';
import { NodeEntity } from './modules/nodes/node.entity';
import { PolicyVersionEntity } from './modules/policies/policy-version.entity';
import { PolicyEntity } from './modules/policies/policy.entity';
import { PriceEntity } from './modules/pricing/price.entity';
import { LegalHoldEntity } from './modules/retention/legal-hold.entity';
import { RetentionSweepStateEntity } from './modules/retention/retention-sweep-state.entity';
import { ApiKeyEntity } from './modules/tenancy/api-key.entity';
import { SessionEntity } from './modules/tenancy/session.entity';
import { TeamMembershipEntity } from './modules/tenancy/team-membership.entity';
import { TeamEntity } from './modules/tenancy/team.entity';
import { UserEntity } from './modules/tenancy/user.entity';

/** Every Postgres entity; the migrations must describe exactly these (checked by the drift test). One per line. */
export const postgresEntities = [
  UserEntity,
  SessionEntity,
  ApiKeyEntity,
  TeamEntity,
  TeamMembershipEntity,
  PriceEntity,
  NodeEntity,
  NodeRateVersionEntity,
  NodeHeartbeatEntity,
  PolicyEntity,
  PolicyVersionEntity,
  ScoreDefinitionEntity,
  ScoreDefinitionSeedEntity,
  AuditEntryEntity,
  AlertChannelEntity,
  AlertRuleEntity,
  AlertEventEntity,
  AlertDeliveryEntity,
  ChargebackReportEntity,
  LegalHoldEntity,
  RetentionSweepStateEntity,
  ExportEntity,
];
