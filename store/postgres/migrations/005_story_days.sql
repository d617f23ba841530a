-- The story index is read by (kind, val) and (sig) with a day range,
-- which the primary keys serve; the day indexes only sped up the
-- retention's trim of old days, a statement an hour, while every ingest
-- paid an index insert more for each of an item's story entries.
DROP INDEX story_forms_day;
DROP INDEX story_keys_day;
