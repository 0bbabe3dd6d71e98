-- One row per node-agent heartbeat: what the inference engine reported (queue depth, KV-cache use, tokens/s, TTFT
-- quantiles). NULL where the engine exposes no such metric (never 0). A re-sent report carries the same id and
-- sampled_at: the ingest path skips (node, sampled_at, id) keys already stored, and ReplacingMergeTree on the same
-- key keeps reads exact if two servers race. Kept as long as the node's GPU samples (gpuDays, else the default).
CREATE TABLE IF NOT EXISTS {{database}}.node_engine_metrics {{on_cluster}}
(
    id String,
    node LowCardinality(String),
    sampled_at DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    agent_version LowCardinality(String),
    engine_kind LowCardinality(String),
    engine_version LowCardinality(String),
    engine_up UInt8,
    models Array(String),
    queue_depth Nullable(Float64),
    running Nullable(Float64),
    kv_cache_usage_ratio Nullable(Float64),
    prompt_tokens_per_second Nullable(Float64),
    generation_tokens_per_second Nullable(Float64),
    ttft_window LowCardinality(String),
    ttft_observations UInt64,
    ttft_p50_seconds Nullable(Float64),
    ttft_p90_seconds Nullable(Float64),
    ttft_p99_seconds Nullable(Float64),
    metrics_error String,
    dropped_reports UInt32,
    retention_days UInt16,
    ingested_at DateTime64(3, 'UTC')
)
ENGINE = {{engine:ReplacingMergeTree(ingested_at)}}
PARTITION BY toYYYYMM(sampled_at)
ORDER BY (node, sampled_at, id)
TTL toDateTime(sampled_at) + toIntervalDay(retention_days)
SETTINGS ttl_only_drop_parts = 0;
