-- One wide row per LLM request. ReplacingMergeTree keyed on the event id makes a re-sent event replace itself;
-- the ingest path also skips ids it has already stored (request_ids) so the rollups never see a duplicate.
CREATE TABLE IF NOT EXISTS {{database}}.requests {{on_cluster}}
(
    id String,
    timestamp DateTime64(3, 'UTC'),
    team LowCardinality(String),
    user String,
    provider LowCardinality(String),
    node LowCardinality(String),
    model LowCardinality(String),
    operation LowCardinality(String),
    input_tokens UInt64,
    output_tokens UInt64,
    cached_input_tokens UInt64,
    latency_ms UInt32,
    ttft_ms Nullable(UInt32),
    status LowCardinality(String),
    error_type LowCardinality(String),
    -- Money is exact: integer nano-USD. NULL means the price was unknown, never zero.
    cost_nano_usd Nullable(Int64),
    cost_source LowCardinality(String),
    prompt String CODEC(ZSTD(3)),
    completion String CODEC(ZSTD(3)),
    metadata Map(String, String),
    -- Each row carries the retention its team's policy gave it at ingest, so one TTL keeps every policy.
    retention_days UInt16,
    ingested_at DateTime64(3, 'UTC')
)
ENGINE = {{engine:ReplacingMergeTree(ingested_at)}}
PARTITION BY toYYYYMM(timestamp)
ORDER BY (toStartOfHour(timestamp), team, model, id)
TTL toDateTime(timestamp) + toIntervalDay(retention_days)
SETTINGS ttl_only_drop_parts = 0;

-- The ids already stored, ordered by id with small granules so checking a batch of ids reads little.
CREATE TABLE IF NOT EXISTS {{database}}.request_ids {{on_cluster}}
(
    id String,
    timestamp DateTime64(3, 'UTC'),
    retention_days UInt16
)
ENGINE = {{engine:ReplacingMergeTree}}
ORDER BY id
TTL toDateTime(timestamp) + toIntervalDay(retention_days)
SETTINGS index_granularity = 256;

-- Hourly rollup for dashboards. Every column is a sum (or a quantile state), so parts merge without loss.
CREATE TABLE IF NOT EXISTS {{database}}.requests_hourly {{on_cluster}}
(
    hour DateTime('UTC'),
    team LowCardinality(String),
    model LowCardinality(String),
    provider LowCardinality(String),
    node LowCardinality(String),
    requests SimpleAggregateFunction(sum, UInt64),
    errors SimpleAggregateFunction(sum, UInt64),
    input_tokens SimpleAggregateFunction(sum, UInt64),
    output_tokens SimpleAggregateFunction(sum, UInt64),
    cached_input_tokens SimpleAggregateFunction(sum, UInt64),
    cost_nano_usd SimpleAggregateFunction(sum, Int64),
    unpriced_requests SimpleAggregateFunction(sum, UInt64),
    latency_quantiles AggregateFunction(quantilesTDigest(0.5, 0.95), UInt32),
    retention_days SimpleAggregateFunction(max, UInt16)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, team, model, provider, node)
TTL hour + toIntervalDay(retention_days);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.requests_hourly_mv {{on_cluster}}
TO {{database}}.requests_hourly
AS SELECT
    toStartOfHour(timestamp) AS hour,
    team,
    model,
    provider,
    node,
    count() AS requests,
    countIf(status = 'error') AS errors,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(cached_input_tokens) AS cached_input_tokens,
    sum(ifNull(source.cost_nano_usd, 0)) AS cost_nano_usd,
    countIf(source.cost_nano_usd IS NULL) AS unpriced_requests,
    quantilesTDigestState(0.5, 0.95)(latency_ms) AS latency_quantiles,
    max(retention_days) AS retention_days
-- Columns are qualified where an output alias reuses a column's name (cost_nano_usd).
FROM {{database}}.requests AS source
GROUP BY hour, team, model, provider, node;
