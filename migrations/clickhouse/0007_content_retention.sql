-- Content kept for less time than the row: a team's policy may keep prompts and completions (contentDays) for less
-- time than the request itself (requestsDays). Each row carries its own content retention, stamped at ingest from
-- the policy in force (0: as long as the row), and a column TTL empties the content when it runs out, so the
-- metadata (tokens, cost, who, which model) stays countable for the whole requestsDays.
ALTER TABLE {{database}}.requests {{on_cluster}}
    ADD COLUMN IF NOT EXISTS content_retention_days UInt16 DEFAULT 0;

ALTER TABLE {{database}}.requests {{on_cluster}}
    MODIFY COLUMN prompt String CODEC(ZSTD(3)) TTL toDateTime(timestamp) + toIntervalDay(if(content_retention_days = 0, retention_days, content_retention_days));

ALTER TABLE {{database}}.requests {{on_cluster}}
    MODIFY COLUMN completion String CODEC(ZSTD(3)) TTL toDateTime(timestamp) + toIntervalDay(if(content_retention_days = 0, retention_days, content_retention_days));
