-- Exactly once in the stores, not only in one process (see engine/clickhouse/clickhouse-batch-writer.ts for the
-- whole argument). This migration:
--  * lets a retried insert be recognised: every table the writer fills keeps the hashes of its recent blocks
--    (insert_deduplication_token), and so does every rollup a materialized view fills from it, so a block
--    replayed after an ambiguous failure or a crash completes what is missing and adds nothing twice;
--  * re-prices by revision instead of by rewrite: a re-priced request is a new version of its row carrying the
--    cost it replaces, and the rollup adds the difference, so no rollup hour is ever deleted and rebuilt;
--  * sums money in Int128 (an Int64 sum of ten events at the largest accepted cost wrapped around);
--  * keys request ids by team (ids are unique per team) in request_keys, filled by a view in the same insert as
--    the rows, so "is this id stored?" and "is it counted?" can never disagree on a ClickHouse server.

ALTER TABLE {{database}}.requests {{on_cluster}}
    ADD COLUMN IF NOT EXISTS is_revision UInt8 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS previous_cost_nano_usd Nullable(Int64),
    ADD COLUMN IF NOT EXISTS api_key_id String DEFAULT '',
    ADD COLUMN IF NOT EXISTS source LowCardinality(String) DEFAULT 'api',
    ADD COLUMN IF NOT EXISTS trace_id String DEFAULT '',
    ADD COLUMN IF NOT EXISTS span_id String DEFAULT '',
    ADD COLUMN IF NOT EXISTS response_id String DEFAULT '',
    ADD COLUMN IF NOT EXISTS decision_id String DEFAULT '',
    ADD COLUMN IF NOT EXISTS location LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS pii_findings Map(LowCardinality(String), UInt32),
    ADD COLUMN IF NOT EXISTS pii_action LowCardinality(String) DEFAULT '';

DROP VIEW IF EXISTS {{database}}.requests_hourly_mv {{on_cluster}};
DROP TABLE IF EXISTS {{database}}.requests_hourly {{on_cluster}};

-- Every column merges by sum (or a quantile state). A revision row adds its cost minus the cost it replaces and
-- counts no request, so originals and revisions together always sum to the current prices.
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
    cost_nano_usd SimpleAggregateFunction(sum, Int128),
    -- Signed: a revision that prices a request nobody could price before subtracts one.
    unpriced_requests SimpleAggregateFunction(sum, Int64),
    latency_quantiles AggregateFunction(quantilesTDigest(0.5, 0.95), UInt32),
    retention_days SimpleAggregateFunction(max, UInt16)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, team, model, provider, node)
TTL hour + toIntervalDay(retention_days)
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.requests_hourly_mv {{on_cluster}}
TO {{database}}.requests_hourly
AS SELECT
    toStartOfHour(timestamp) AS hour,
    team,
    model,
    provider,
    node,
    countIf(is_revision = 0) AS requests,
    countIf(is_revision = 0 AND status = 'error') AS errors,
    sumIf(input_tokens, is_revision = 0) AS input_tokens,
    sumIf(output_tokens, is_revision = 0) AS output_tokens,
    sumIf(cached_input_tokens, is_revision = 0) AS cached_input_tokens,
    sum(toInt128(ifNull(source.cost_nano_usd, 0)) - if(is_revision = 1, toInt128(ifNull(previous_cost_nano_usd, 0)), toInt128(0))) AS cost_nano_usd,
    sum(toInt64(source.cost_nano_usd IS NULL) - if(is_revision = 1, toInt64(previous_cost_nano_usd IS NULL), toInt64(0))) AS unpriced_requests,
    quantilesTDigestStateIf(0.5, 0.95)(latency_ms, is_revision = 0) AS latency_quantiles,
    max(retention_days) AS retention_days
-- Columns are qualified where an output alias reuses a column's name (cost_nano_usd).
FROM {{database}}.requests AS source
GROUP BY hour, team, model, provider, node;

-- Which (team, id) pairs are stored, ordered for point lookups in small granules.
CREATE TABLE IF NOT EXISTS {{database}}.request_keys {{on_cluster}}
(
    team LowCardinality(String),
    id String,
    timestamp DateTime64(3, 'UTC'),
    retention_days UInt16,
    -- A request looked up by id alone (the console's detail view) skips granules that cannot hold it.
    INDEX id_bloom id TYPE bloom_filter GRANULARITY 4
)
ENGINE = {{engine:ReplacingMergeTree}}
ORDER BY (team, id)
TTL toDateTime(timestamp) + toIntervalDay(retention_days)
SETTINGS index_granularity = 256, non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.request_keys_mv {{on_cluster}}
TO {{database}}.request_keys
AS SELECT team, id, timestamp, retention_days
FROM {{database}}.requests
WHERE is_revision = 0;

-- Fill both from the rows already stored by sending each current row through the new views once, so the views'
-- SELECTs stay the only definition of the rollups. Emptied first, so a migration interrupted after this point
-- and run again counts nothing twice; the replayed raw rows collapse into their originals (same key and version).
TRUNCATE TABLE IF EXISTS {{database}}.requests_hourly {{on_cluster}};
TRUNCATE TABLE IF EXISTS {{database}}.request_keys {{on_cluster}};
INSERT INTO {{database}}.requests SETTINGS insert_deduplicate = 0 SELECT * FROM {{database}}.requests FINAL;

DROP TABLE IF EXISTS {{database}}.request_ids {{on_cluster}};

ALTER TABLE {{database}}.requests {{on_cluster}}
    MODIFY SETTING non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

-- GPU samples and their rollups: the same retry recognition.
ALTER TABLE {{database}}.gpu_samples {{on_cluster}}
    MODIFY SETTING non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;
ALTER TABLE {{database}}.gpu_samples_1m {{on_cluster}}
    MODIFY SETTING non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;
ALTER TABLE {{database}}.gpu_samples_1h {{on_cluster}}
    MODIFY SETTING non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;
