-- Facts about the database itself, by name: match_version is the match
-- version (store.Options.MatchVersion, the canonical pipeline and key
-- rule) the story index and token counts were built with.
CREATE TABLE tickerd_meta (
	name  text   PRIMARY KEY,
	value bigint NOT NULL
);
