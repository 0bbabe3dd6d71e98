import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('NodeStats', { description: "A node's requests over [from, to), from the request log: volume, errors, exact percentiles." })
export class NodeStatsModel {
  @Field()
  node: string;

  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => Int)
  requests: number;

  @Field(() => Float, { description: 'requests / minutes in [from, to).' })
  requestsPerMinute: number;

  @Field(() => Float, { description: 'Share of requests with status error, 0..1; 0 when there was none.' })
  errorRate: number;

  @Field(() => Float, { nullable: true, description: 'Milliseconds; null without requests.' })
  latencyMsP50: number | null;

  @Field(() => Float, { nullable: true })
  latencyMsP95: number | null;

  @Field(() => Float, { nullable: true })
  latencyMsP99: number | null;

  @Field(() => Float, { nullable: true, description: 'Time to first token, ms, over the requests that report one; null when none does.' })
  ttftMsP50: number | null;

  @Field(() => Float, { nullable: true })
  ttftMsP95: number | null;

  @Field(() => Float, { nullable: true })
  ttftMsP99: number | null;
}

@ObjectType('NodeEngineMetricsPoint', { description: "One bucket of a node's engine metrics, as its agent reported them (averages unless named max)." })
export class NodeEngineMetricsPointModel {
  @Field({ description: 'Start of the bucket.' })
  time: Date;

  @Field(() => Int, { description: 'Heartbeats in the bucket.' })
  samples: number;

  @Field(() => Float, { description: 'Share of those heartbeats with the engine up, 0..1.' })
  engineUpRatio: number;

  @Field(() => Float, { nullable: true, description: 'Requests waiting; null where the engine exposes none.' })
  queueDepth: number | null;

  @Field(() => Float, { nullable: true })
  queueDepthMax: number | null;

  @Field(() => Float, { nullable: true, description: 'Requests being processed.' })
  running: number | null;

  @Field(() => Float, { nullable: true, description: 'KV-cache use, 0..1.' })
  kvCacheUsageRatio: number | null;

  @Field(() => Float, { nullable: true })
  kvCacheUsageRatioMax: number | null;

  @Field(() => Float, { nullable: true })
  promptTokensPerSecond: number | null;

  @Field(() => Float, { nullable: true })
  generationTokensPerSecond: number | null;

  @Field(() => Float, { nullable: true, description: "The engine's own TTFT p50, seconds (vLLM)." })
  ttftP50Seconds: number | null;

  @Field(() => Float, { nullable: true, description: "The engine's TTFT p99, seconds, the highest in the bucket." })
  ttftP99Seconds: number | null;
}

@ObjectType('NodeEngineMetrics', { description: "A node's engine metrics over [from, to), in buckets of bucketSeconds (at most 500)." })
export class NodeEngineMetricsModel {
  @Field()
  node: string;

  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => Int)
  bucketSeconds: number;

  @Field(() => [NodeEngineMetricsPointModel], { description: 'Buckets with at least one heartbeat, oldest first.' })
  points: NodeEngineMetricsPointModel[];
}
