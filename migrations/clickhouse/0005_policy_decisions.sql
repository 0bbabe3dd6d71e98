-- Every decision of the policy engine (POST /api/v1/authorize, the gateway, the console's playground), written
-- once through the batching writer: the decision id is the row's identity (ReplacingMergeTree keyed on it), and a
-- batch replayed after a crash is recognised by its insert token. Compliance reads who asked for which model, what
-- was refused and why, under which policy version, and which personal-data detectors fired (counts, never values).
CREATE TABLE IF NOT EXISTS {{database}}.policy_decisions {{on_cluster}}
(
    time DateTime64(3, 'UTC'),
    decision_id String,
    api_key_id String,
    team LowCardinality(String),
    user String,
    model LowCardinality(String),
    node LowCardinality(String),
    allowed Bool,
    -- '' when allowed; otherwise model_not_allowed, insufficient_quota, rate_limit_exceeded,
    -- content_policy_violation or on_premises_required.
    reason LowCardinality(String),
    message String,
    -- The policy that refused; for an admission the most specific applicable one ('' when none applied).
    policy_name LowCardinality(String),
    policy_version UInt32,
    -- Every applicable policy and its version, least specific first.
    policy_names Array(LowCardinality(String)),
    policy_versions Array(UInt32),
    reservation_id String,
    estimated_tokens UInt64,
    -- NULL when no price was known; money is integer nano-USD, never a float.
    estimated_cost_nano_usd Nullable(Int64),
    pii_action LowCardinality(String),
    pii_findings Map(LowCardinality(String), UInt32),
    soft_quotas_exceeded Array(String),
    -- http (POST /api/v1/authorize), gateway, playground.
    source LowCardinality(String),
    -- Decisions are compliance evidence: kept at least the retention floor, per the team's policy beyond it.
    retention_days UInt16,
    recorded_at DateTime64(3, 'UTC'),
    INDEX decision_id_bloom decision_id TYPE bloom_filter GRANULARITY 4
)
ENGINE = {{engine:ReplacingMergeTree(recorded_at)}}
PARTITION BY toYYYYMM(time)
ORDER BY (toStartOfHour(time), team, decision_id)
TTL toDateTime(time) + toIntervalDay(retention_days)
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

-- Hourly counts for the compliance dashboards (30 days of tens of millions of decisions read in milliseconds).
-- Every column merges by sum, so parts merge without loss; a replayed block is recognised by its token here too.
CREATE TABLE IF NOT EXISTS {{database}}.policy_decisions_hourly {{on_cluster}}
(
    hour DateTime('UTC'),
    team LowCardinality(String),
    model LowCardinality(String),
    node LowCardinality(String),
    reason LowCardinality(String),
    policy_name LowCardinality(String),
    pii_action LowCardinality(String),
    source LowCardinality(String),
    decisions SimpleAggregateFunction(sum, UInt64),
    allowed SimpleAggregateFunction(sum, UInt64),
    -- Decisions in which each detector fired, and how many findings it made.
    pii_decisions SimpleAggregateFunction(sumMap, Map(String, UInt64)),
    pii_findings SimpleAggregateFunction(sumMap, Map(String, UInt64)),
    retention_days SimpleAggregateFunction(max, UInt16)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, team, model, reason, node, policy_name, pii_action, source)
TTL hour + toIntervalDay(retention_days)
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.policy_decisions_hourly_mv {{on_cluster}}
TO {{database}}.policy_decisions_hourly
AS SELECT
    toStartOfHour(time) AS hour,
    team,
    model,
    node,
    reason,
    policy_name,
    pii_action,
    source,
    count() AS decisions,
    countIf(decision.allowed) AS allowed,
    sumMap(mapApply((detector, findings) -> (detector, toUInt64(findings > 0)), decision.pii_findings)) AS pii_decisions,
    sumMap(mapApply((detector, findings) -> (detector, toUInt64(findings)), decision.pii_findings)) AS pii_findings,
    max(retention_days) AS retention_days
-- Columns are qualified where an output alias reuses a column's name (allowed, pii_findings).
FROM {{database}}.policy_decisions AS decision
GROUP BY hour, team, model, reason, node, policy_name, pii_action, source;
