-- The tables mirror the bbolt backend's buckets (store/*.go tells what
-- each holds and why); keys are the same 16-byte item keys: the item's
-- time in Unix nanoseconds, big-endian, then an 8-byte identity hash, so
-- that bytea order is time order.

CREATE TABLE items (
	key    bytea PRIMARY KEY,
	source text  NOT NULL,
	data   bytea NOT NULL -- the JSON of a store.Item, as bbolt keeps it
);

-- One row per (source, item id) ever seen and not yet forgotten: the
-- unique key that makes an exact repeat an update, whichever replica
-- ingests it. kind 'i': ref is the item's key; 'd': the item was told
-- as a report on the story whose item is at ref; 't': a tombstone until
-- expiry (Unix nanoseconds).
CREATE TABLE ids (
	source text   NOT NULL,
	id     text   NOT NULL,
	kind   text   NOT NULL,
	ref    bytea,
	expiry bigint,
	PRIMARY KEY (source, id)
);
CREATE INDEX ids_tombs ON ids (expiry) WHERE kind = 't';

-- Each source's items and tellings in time order: story is null for the
-- source's own item at key, else the key of the story it told.
CREATE TABLE bysrc (
	source text  NOT NULL,
	key    bytea NOT NULL,
	story  bytea,
	PRIMARY KEY (source, key)
);

-- Records of removed items whose reports outlive them.
CREATE TABLE told (
	key  bytea PRIMARY KEY,
	data bytea NOT NULL
);

-- Removed items' keys, still matched by dedupe until expiry.
CREATE TABLE tombs (
	key    bytea  PRIMARY KEY,
	expiry bigint NOT NULL
);
CREATE INDEX tombs_expiry ON tombs (expiry);

-- Exact story forms: kind 'l' canonical link, 't' normalized title, per
-- UTC day of the item's time, naming the newest item with it.
CREATE TABLE story_forms (
	kind text    NOT NULL,
	val  text    NOT NULL,
	day  integer NOT NULL,
	key  bytea   NOT NULL,
	PRIMARY KEY (kind, val, day)
);
CREATE INDEX story_forms_day ON story_forms (day);

-- Signature keys of titles, for near-duplicate candidates; tokens are
-- the title's tokens joined by U+001F (text holds no NUL).
CREATE TABLE story_keys (
	sig    text    NOT NULL,
	day    integer NOT NULL,
	key    bytea   NOT NULL,
	tokens text    NOT NULL,
	PRIMARY KEY (sig, day, key)
);
CREATE INDEX story_keys_day ON story_keys (day);

-- The change log (store/changes.go): op 1 added, 2 updated, 3 removed.
CREATE TABLE changes (
	seq bigint   PRIMARY KEY,
	op  smallint NOT NULL,
	key bytea    NOT NULL,
	ref bytea    NOT NULL -- JSON: source, id, and for removals link, title, guid, told
);

-- The last sequence number handed out, which never goes back even when
-- the log is trimmed to nothing, and when it was committed (Unix
-- nanoseconds): every replica reports that as LastChange, so feeds
-- rendered from the same data are the same bytes on each.
CREATE TABLE seq (
	one  boolean PRIMARY KEY DEFAULT true CHECK (one),
	last bigint  NOT NULL,
	at   bigint  NOT NULL
);
INSERT INTO seq VALUES (true, 0, 0);

-- items is the count of the source's stored items, kept by the writes
-- that change it, whatever data (the JSON of a store.SourceState, whose
-- Items field is ignored) a replica last wrote.
CREATE TABLE sources (
	name  text    PRIMARY KEY,
	data  bytea   NOT NULL,
	items integer NOT NULL DEFAULT 0
);
