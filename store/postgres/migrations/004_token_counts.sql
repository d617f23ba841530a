-- Document frequencies: how many ingested headlines had each canonical
-- token. With store.Dedupe.Keys set, a headline's signature keys are its
-- rarest tokens by these counts, as the bbolt backend ranks them.
CREATE TABLE token_counts (
	token text   PRIMARY KEY,
	n     bigint NOT NULL
);
