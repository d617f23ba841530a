package postgres

// NoFresh makes every lookup that meets this transaction's own index
// entries read again, as before freshIndex: the reference freshIndex's
// merge is compared with.
var NoFresh = &noFresh

// BeforeLock, when set, runs in Ingest between the reads made before
// the write lock and taking it.
var BeforeLock = &beforeLock

// GroupGate, when set, holds the group writer until it is closed.
var GroupGate = &groupGate

// Queued is the number of ingests waiting for the group writer.
func (s *Store) Queued() int {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	return len(s.groups.queue)
}

// IngestFault, when set, fails the write of a feed of the sources it
// returns an error for.
var IngestFault = &ingestFault

// Serializable runs item writes as SERIALIZABLE transactions retried on
// conflict instead of under the write lock.
var Serializable = &serializable
