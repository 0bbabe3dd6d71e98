-- Hourly counts for the compliance dashboard and the auditor report: per team, model, node, where the request was
-- served (location) and what was done with personal data (pii_action), how many requests, how many carried personal
-- data, and per detector the requests it fired in and its findings. 30 days of tens of millions of requests are read
-- in milliseconds, and the counts stay when the retention sweep deletes rows (they hold no personal data).
-- Revision rows (re-pricing) repeat an original and are not counted.
CREATE TABLE IF NOT EXISTS {{database}}.requests_compliance_hourly {{on_cluster}}
(
    hour DateTime('UTC'),
    team LowCardinality(String),
    model LowCardinality(String),
    node LowCardinality(String),
    -- The request's own location when the gateway stamped one ('on-premises' | 'external'), '' otherwise.
    location LowCardinality(String),
    pii_action LowCardinality(String),
    requests SimpleAggregateFunction(sum, UInt64),
    requests_with_pii SimpleAggregateFunction(sum, UInt64),
    pii_requests SimpleAggregateFunction(sumMap, Map(String, UInt64)),
    pii_findings SimpleAggregateFunction(sumMap, Map(String, UInt64)),
    retention_days SimpleAggregateFunction(max, UInt16)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, team, model, node, location, pii_action)
TTL hour + toIntervalDay(retention_days)
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

-- Filled from the rows already stored before the view exists (migrations run before the server takes events), so
-- no row is counted twice; emptied first, so a migration interrupted here and run again counts nothing twice.
TRUNCATE TABLE IF EXISTS {{database}}.requests_compliance_hourly {{on_cluster}};

INSERT INTO {{database}}.requests_compliance_hourly
SELECT
    toStartOfHour(timestamp) AS hour,
    team,
    model,
    node,
    location,
    pii_action,
    count() AS requests,
    countIf(notEmpty(source.pii_findings)) AS requests_with_pii,
    sumMap(mapApply((detector, findings) -> (toString(detector), toUInt64(findings > 0)), source.pii_findings)) AS pii_requests,
    sumMap(mapApply((detector, findings) -> (toString(detector), toUInt64(findings)), source.pii_findings)) AS pii_findings,
    max(retention_days) AS retention_days
FROM {{database}}.requests AS source FINAL
WHERE is_revision = 0
GROUP BY hour, team, model, node, location, pii_action;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.requests_compliance_hourly_mv {{on_cluster}}
TO {{database}}.requests_compliance_hourly
AS SELECT
    toStartOfHour(timestamp) AS hour,
    team,
    model,
    node,
    location,
    pii_action,
    count() AS requests,
    countIf(notEmpty(source.pii_findings)) AS requests_with_pii,
    sumMap(mapApply((detector, findings) -> (toString(detector), toUInt64(findings > 0)), source.pii_findings)) AS pii_requests,
    sumMap(mapApply((detector, findings) -> (toString(detector), toUInt64(findings)), source.pii_findings)) AS pii_findings,
    max(retention_days) AS retention_days
-- Columns are qualified where an output alias reuses a column's name (pii_findings).
FROM {{database}}.requests AS source
WHERE is_revision = 0
GROUP BY hour, team, model, node, location, pii_action;
