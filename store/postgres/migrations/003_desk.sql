-- The newsroom desk (store/desk.go): every editorial action ever taken,
-- by id, undone or not (an id always means the same action), and the
-- audit log by sequence number. data is the JSON the bbolt backend keeps.
CREATE TABLE desk (
	id   bigint PRIMARY KEY,
	data bytea  NOT NULL
);

CREATE TABLE audit (
	seq  bigint PRIMARY KEY,
	data bytea  NOT NULL
);
