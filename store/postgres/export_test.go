package postgres

// NoFresh makes every lookup that meets this transaction's own index
// entries read again, as before freshIndex: the reference freshIndex's
// merge is compared with.
var NoFresh = &noFresh

// BeforeLock, when set, runs in Ingest between the reads made before
// the write lock and taking it.
var BeforeLock = &beforeLock
