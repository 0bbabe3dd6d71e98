import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '../../../engine/graphql/json.scalar';

@ObjectType('AlertRule', { description: 'A condition Warden watches; each label set for which it holds is one alert.' })
export class AlertRuleModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'budget_burn, hallucination_rate, policy_deny_spike, gpu_idle, gpu_hot, node_down or agent_silent.' })
  kind: string;

  @Field(() => JsonScalar, { description: "The kind's parameters, complete (defaults filled in)." })
  params: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'Only this team (kinds about teams); null: every team.' })
  team: string | null;

  @Field(() => String, { nullable: true, description: 'Only this node (kinds about nodes and GPUs); null: every node.' })
  node: string | null;

  @Field()
  enabled: boolean;

  @Field(() => [ID])
  channelIds: string[];

  @Field(() => Date, { nullable: true })
  lastEvaluatedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last evaluation could not read this rule (its alerts were left as they were).' })
  lastError: string | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@InputType()
export class AlertRuleFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true, description: 'Substring of the name.' })
  q?: string;

  @Field({ nullable: true })
  kind?: string;

  @Field({ nullable: true })
  enabled?: boolean;
}

@ObjectType('AlertChannel', { description: 'Where notifications go. The URL and signing secret are write-only: only the host is shown.' })
export class AlertChannelModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'webhook (generic JSON) or slack (incoming-webhook body).' })
  kind: string;

  @Field({ description: 'Scheme and host of the URL; the rest stays on the server.' })
  urlPreview: string;

  @Field({ description: 'Whether webhook bodies are signed (x-warden-signature).' })
  hasSecret: boolean;

  @Field()
  enabled: boolean;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@InputType()
export class AlertChannelFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field({ nullable: true, description: 'Substring of the name.' })
  q?: string;

  @Field({ nullable: true })
  kind?: string;
}

@ObjectType('AlertChannelTest')
export class AlertChannelTestModel {
  @Field()
  ok: boolean;

  @Field(() => Int, { nullable: true, description: 'The HTTP status the channel answered; null when it did not answer.' })
  statusCode: number | null;

  @Field(() => String, { nullable: true })
  error: string | null;
}

@ObjectType('AlertDelivery', { description: 'One notification of one transition to one channel.' })
export class AlertDeliveryModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  channelId: string;

  @Field(() => String, { nullable: true, description: 'null when the channel was deleted since.' })
  channelName: string | null;

  @Field({ description: 'firing or resolved.' })
  transition: string;

  @Field({ description: 'pending (being retried), delivered or failed (attempts spent).' })
  status: string;

  @Field(() => Int)
  attempts: number;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => Date, { nullable: true, description: 'When a pending delivery is tried next.' })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;
}

@ObjectType('Alert', { description: 'One alert: a rule holding for one label set, from when it started to when it cleared.' })
export class AlertModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  ruleId: string;

  @Field({ description: 'The rule as named when the alert started.' })
  ruleName: string;

  @Field()
  kind: string;

  @Field({ description: 'firing or resolved.' })
  state: string;

  @Field(() => JsonScalar, { description: 'What the alert is about (team, node, gpu, model, policy, quota, threshold…).' })
  labels: Record<string, string>;

  @Field(() => Float, { nullable: true, description: 'The measured value at the last evaluation while firing.' })
  value: number | null;

  @Field(() => Float, { nullable: true })
  threshold: number | null;

  @Field()
  summary: string;

  @Field()
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;

  @Field()
  lastEvaluatedAt: Date;

  @Field(() => [AlertDeliveryModel])
  deliveries: AlertDeliveryModel[];
}

@InputType()
export class AlertFilter {
  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  ruleId?: string;

  @Field({ nullable: true })
  kind?: string;

  @Field({ nullable: true, description: 'firing or resolved.' })
  state?: string;

  @Field({ nullable: true, description: 'Substring of the rule name or summary.' })
  q?: string;

  @Field({ nullable: true, description: 'Alerts about this team (the team label).' })
  team?: string;

  @Field({ nullable: true, description: 'Alerts about this node (the node label).' })
  node?: string;

  @Field(() => Date, { nullable: true })
  startedAt_gte?: Date;

  @Field(() => Date, { nullable: true })
  startedAt_lte?: Date;
}

@ObjectType('AlertEvaluation')
export class AlertEvaluationModel {
  @Field(() => Int)
  rules: number;

  @Field(() => Int)
  fired: number;

  @Field(() => Int)
  resolved: number;

  @Field(() => Int)
  failedRules: number;
}
