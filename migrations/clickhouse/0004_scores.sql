-- Evaluation scores (hallucination and other evaluators), one row per score, written exactly once per (team, id)
-- through the batching writer (see engine/clickhouse/clickhouse-batch-writer.ts): the batch claims its keys, looks
-- them up in score_keys (filled by a view in the same insert as the rows), and inserts with a deduplication token.
--
-- A score points at its request by request id, by OpenTelemetry trace + span id, or by the provider's response id.
-- `refs` holds each reference it carries in one text form ('id:…', 'span:<trace><span>', 'response:…'), the same
-- form the analytics build from a request's own columns, so a score that arrives before its request is simply
-- joined once the request is stored: nothing is rewritten when either side arrives.
CREATE TABLE IF NOT EXISTS {{database}}.scores {{on_cluster}}
(
    team LowCardinality(String),
    id String,
    request_id String,
    trace_id String,
    span_id String,
    response_id String,
    refs Array(String),
    name LowCardinality(String),
    -- numeric | boolean | categorical: the type of the score definition when the score was received.
    data_type LowCardinality(String),
    -- The number sent (numeric scores, and a number that came beside a label); NULL when none.
    numeric_value Nullable(Float64),
    boolean_value Nullable(UInt8),
    -- The label of a categorical score, or the label that came beside a number.
    label String,
    source LowCardinality(String),
    evaluator LowCardinality(String),
    comment String CODEC(ZSTD(3)),
    timestamp DateTime64(3, 'UTC'),
    -- Derived once, from the definition in force when the score arrived: 1 hallucinated, 0 not, NULL unknown.
    hallucinated Nullable(UInt8),
    api_key_id String,
    retention_days UInt16,
    ingested_at DateTime64(3, 'UTC')
)
ENGINE = {{engine:ReplacingMergeTree(ingested_at)}}
PARTITION BY toYYYYMM(timestamp)
ORDER BY (team, name, id)
TTL toDateTime(timestamp) + toIntervalDay(retention_days)
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

-- Which (team, id) pairs are stored: the writer's "already stored?" lookup, filled in the same insert as the rows.
CREATE TABLE IF NOT EXISTS {{database}}.score_keys {{on_cluster}}
(
    team LowCardinality(String),
    id String,
    timestamp DateTime64(3, 'UTC'),
    retention_days UInt16
)
ENGINE = {{engine:ReplacingMergeTree}}
ORDER BY (team, id)
TTL toDateTime(timestamp) + toIntervalDay(retention_days)
SETTINGS index_granularity = 256, non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.score_keys_mv {{on_cluster}}
TO {{database}}.score_keys
AS SELECT team, id, timestamp, retention_days
FROM {{database}}.scores;
