-- One row per GPU (or MIG instance) per collection, as pushed by warden-gpu-exporter. Measurements are NULL where
-- nvidia-smi had no value (never 0). The ingest path skips (node, gpu_uuid, mig_instance, timestamp) keys already
-- stored, so the rollups never see a re-sent sample; ReplacingMergeTree on the same key keeps raw reads exact even
-- if two server processes race.
CREATE TABLE IF NOT EXISTS {{database}}.gpu_samples {{on_cluster}}
(
    timestamp DateTime64(3, 'UTC'),
    node LowCardinality(String),
    gpu_uuid String,
    gpu_index UInt16,
    gpu_name LowCardinality(String),
    -- '' for a whole GPU, the MIG device uuid for one MIG instance.
    mig_instance String,
    utilization_ratio Nullable(Float32),
    memory_utilization_ratio Nullable(Float32),
    memory_used_bytes Nullable(UInt64),
    memory_total_bytes Nullable(UInt64),
    power_draw_watts Nullable(Float64),
    power_limit_watts Nullable(Float64),
    temperature_celsius Nullable(Float32),
    sm_clock_hertz Nullable(UInt64),
    ecc_errors_total Nullable(UInt64),
    -- [] when no reason is active; the ingest path stores a driver that reports none the same way.
    throttle_reasons Array(LowCardinality(String)),
    retention_days UInt16,
    ingested_at DateTime64(3, 'UTC')
)
ENGINE = {{engine:ReplacingMergeTree(ingested_at)}}
PARTITION BY toYYYYMM(timestamp)
ORDER BY (toStartOfHour(timestamp), node, gpu_uuid, mig_instance, timestamp)
TTL toDateTime(timestamp) + toIntervalDay(retention_days)
SETTINGS ttl_only_drop_parts = 0;

-- Rollups: every measure is kept as a sum and a count of the samples that had it (so an average merges exactly
-- across parts and buckets), plus max/min where a peak matters. Power is summed in integer milliwatts, so the
-- energy that GPU cost per token is built on is an exact integer sum. Both rollups read the raw table directly.
CREATE TABLE IF NOT EXISTS {{database}}.gpu_samples_1m {{on_cluster}}
(
    bucket DateTime('UTC'),
    node LowCardinality(String),
    gpu_uuid String,
    mig_instance String,
    gpu_index SimpleAggregateFunction(anyLast, UInt16),
    gpu_name SimpleAggregateFunction(anyLast, LowCardinality(String)),
    samples SimpleAggregateFunction(sum, UInt64),
    first_seen SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    utilization_sum SimpleAggregateFunction(sum, Float64),
    utilization_count SimpleAggregateFunction(sum, UInt64),
    utilization_max SimpleAggregateFunction(max, Nullable(Float32)),
    memory_used_sum SimpleAggregateFunction(sum, UInt64),
    memory_used_count SimpleAggregateFunction(sum, UInt64),
    memory_used_max SimpleAggregateFunction(max, Nullable(UInt64)),
    memory_total_max SimpleAggregateFunction(max, Nullable(UInt64)),
    power_milliwatts_sum SimpleAggregateFunction(sum, UInt64),
    power_count SimpleAggregateFunction(sum, UInt64),
    power_max SimpleAggregateFunction(max, Nullable(Float64)),
    power_limit_max SimpleAggregateFunction(max, Nullable(Float64)),
    temperature_sum SimpleAggregateFunction(sum, Float64),
    temperature_count SimpleAggregateFunction(sum, UInt64),
    temperature_max SimpleAggregateFunction(max, Nullable(Float32)),
    sm_clock_sum SimpleAggregateFunction(sum, UInt64),
    sm_clock_count SimpleAggregateFunction(sum, UInt64),
    ecc_errors_min SimpleAggregateFunction(min, Nullable(UInt64)),
    ecc_errors_max SimpleAggregateFunction(max, Nullable(UInt64)),
    throttle_reasons SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    throttled_samples SimpleAggregateFunction(sum, UInt64),
    retention_days SimpleAggregateFunction(max, UInt16)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, node, gpu_uuid, mig_instance)
TTL bucket + toIntervalDay(retention_days);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.gpu_samples_1m_mv {{on_cluster}}
TO {{database}}.gpu_samples_1m
AS SELECT
    toStartOfMinute(timestamp) AS bucket,
    node,
    gpu_uuid,
    mig_instance,
    anyLast(source.gpu_index) AS gpu_index,
    anyLast(source.gpu_name) AS gpu_name,
    count() AS samples,
    min(timestamp) AS first_seen,
    max(timestamp) AS last_seen,
    sum(ifNull(utilization_ratio, 0)) AS utilization_sum,
    count(utilization_ratio) AS utilization_count,
    max(utilization_ratio) AS utilization_max,
    sum(ifNull(memory_used_bytes, 0)) AS memory_used_sum,
    count(memory_used_bytes) AS memory_used_count,
    max(memory_used_bytes) AS memory_used_max,
    max(memory_total_bytes) AS memory_total_max,
    sum(toUInt64(round(ifNull(power_draw_watts, 0) * 1000))) AS power_milliwatts_sum,
    count(power_draw_watts) AS power_count,
    max(power_draw_watts) AS power_max,
    max(power_limit_watts) AS power_limit_max,
    sum(ifNull(temperature_celsius, 0)) AS temperature_sum,
    count(temperature_celsius) AS temperature_count,
    max(temperature_celsius) AS temperature_max,
    sum(ifNull(sm_clock_hertz, 0)) AS sm_clock_sum,
    count(sm_clock_hertz) AS sm_clock_count,
    min(ecc_errors_total) AS ecc_errors_min,
    max(ecc_errors_total) AS ecc_errors_max,
    groupUniqArrayArray(arrayMap(reason -> toString(reason), source.throttle_reasons)) AS throttle_reasons,
    countIf(hasAny(source.throttle_reasons, ['sw_power_cap', 'hw_slowdown', 'hw_thermal_slowdown', 'hw_power_brake_slowdown', 'sw_thermal_slowdown'])) AS throttled_samples,
    max(retention_days) AS retention_days
-- Columns are qualified where an output alias reuses a column's name.
FROM {{database}}.gpu_samples AS source
GROUP BY bucket, node, gpu_uuid, mig_instance;

CREATE TABLE IF NOT EXISTS {{database}}.gpu_samples_1h {{on_cluster}} AS {{database}}.gpu_samples_1m
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, node, gpu_uuid, mig_instance)
TTL bucket + toIntervalDay(retention_days);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.gpu_samples_1h_mv {{on_cluster}}
TO {{database}}.gpu_samples_1h
AS SELECT
    toStartOfHour(timestamp) AS bucket,
    node,
    gpu_uuid,
    mig_instance,
    anyLast(source.gpu_index) AS gpu_index,
    anyLast(source.gpu_name) AS gpu_name,
    count() AS samples,
    min(timestamp) AS first_seen,
    max(timestamp) AS last_seen,
    sum(ifNull(utilization_ratio, 0)) AS utilization_sum,
    count(utilization_ratio) AS utilization_count,
    max(utilization_ratio) AS utilization_max,
    sum(ifNull(memory_used_bytes, 0)) AS memory_used_sum,
    count(memory_used_bytes) AS memory_used_count,
    max(memory_used_bytes) AS memory_used_max,
    max(memory_total_bytes) AS memory_total_max,
    sum(toUInt64(round(ifNull(power_draw_watts, 0) * 1000))) AS power_milliwatts_sum,
    count(power_draw_watts) AS power_count,
    max(power_draw_watts) AS power_max,
    max(power_limit_watts) AS power_limit_max,
    sum(ifNull(temperature_celsius, 0)) AS temperature_sum,
    count(temperature_celsius) AS temperature_count,
    max(temperature_celsius) AS temperature_max,
    sum(ifNull(sm_clock_hertz, 0)) AS sm_clock_sum,
    count(sm_clock_hertz) AS sm_clock_count,
    min(ecc_errors_total) AS ecc_errors_min,
    max(ecc_errors_total) AS ecc_errors_max,
    groupUniqArrayArray(arrayMap(reason -> toString(reason), source.throttle_reasons)) AS throttle_reasons,
    countIf(hasAny(source.throttle_reasons, ['sw_power_cap', 'hw_slowdown', 'hw_thermal_slowdown', 'hw_power_brake_slowdown', 'sw_thermal_slowdown'])) AS throttled_samples,
    max(retention_days) AS retention_days
FROM {{database}}.gpu_samples AS source
GROUP BY bucket, node, gpu_uuid, mig_instance;
