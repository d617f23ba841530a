-- Source leases: which replica fetches a source this interval. A row is
-- taken with SELECT … FOR UPDATE SKIP LOCKED; holder and expires are set
-- while a fetch runs (a replica that dies loses the lease at expires),
-- fetched is when the last fetch under a lease began, so the others skip
-- the source until an interval has passed.
CREATE TABLE leases (
	source  text PRIMARY KEY,
	holder  text,
	expires timestamptz,
	fetched timestamptz
);

-- Per-host politeness across replicas: a fetch to host holds one of its
-- slots (slot < the configured per_host) until it ends or expires.
CREATE TABLE host_slots (
	host    text    NOT NULL,
	slot    integer NOT NULL,
	holder  text,
	expires timestamptz,
	PRIMARY KEY (host, slot)
);
