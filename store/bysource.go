package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketBySource indexes items by source: source + 0x00 + item key → nil.
// One source's keys sit together and in time order, so its newest items
// are a cursor step apart however busy the other sources are. Ticker
// selections by source, per-source caps and round-robin reads use it (see
// Recent). Source names never hold 0x00 (config allows letters, digits,
// '-', '_' and '.'), so the prefix is unambiguous.
var bucketBySource = []byte("bysrc")

// sourceIndexKey is the index key of the item at key from source.
func sourceIndexKey(source string, key []byte) []byte {
	k := make([]byte, 0, len(source)+1+len(key))
	k = append(k, source...)
	k = append(k, 0)
	return append(k, key...)
}

// indexSource records the item at key under its source. Every put into
// the items bucket calls it in the same transaction.
func indexSource(tx *bolt.Tx, key []byte, source string) error {
	return tx.Bucket(bucketBySource).Put(sourceIndexKey(source, key), nil)
}

// unindexSource forgets the item at key. Every delete from the items
// bucket calls it in the same transaction; an entry left behind would only
// cost Recent a lookup, never show a removed item.
func unindexSource(tx *bolt.Tx, key []byte, source string) error {
	return tx.Bucket(bucketBySource).Delete(sourceIndexKey(source, key))
}

// ensureSourceIndex creates the index in a data file written before it
// existed, filling it from the items in the same transaction, so Open
// upgrades old files in place.
func ensureSourceIndex(tx *bolt.Tx) error {
	if tx.Bucket(bucketBySource) != nil {
		return nil
	}
	idx, err := tx.CreateBucket(bucketBySource)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketItems).ForEach(func(k, v []byte) error {
		if err := idx.Put(sourceIndexKey(sourceOf(v), k), nil); err != nil {
			return fmt.Errorf("index item at key %x by source: %w", k, err)
		}
		return nil
	})
}

// indexedSources lists every source with an item in the index, in byte
// order, with one seek per source.
func indexedSources(idx *bolt.Bucket) []string {
	var out []string
	c := idx.Cursor()
	for k, _ := c.First(); k != nil; {
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			k, _ = c.Next() // not ours; never written
			continue
		}
		out = append(out, string(k[:i]))
		k, _ = c.Seek(append(bytes.Clone(k[:i]), 1))
	}
	return out
}

// sourceStream walks one source's item keys newest first.
type sourceStream struct {
	source string
	c      *bolt.Cursor
	prefix []byte // source + 0x00
	since  []byte // least item key to return; nil for no bound
	key    []byte // current item key (16 bytes), nil when done
	// story is the key of the story item the current entry is a
	// telling of (tellings.go), nil for one of the source's own items.
	story []byte
	taken int // items returned from this source
}

// newSourceStream positions a stream on the newest item of source that is
// not before since (an item key prefix; nil for no bound).
func newSourceStream(idx *bolt.Bucket, source string, since []byte) *sourceStream {
	st := &sourceStream{source: source, c: idx.Cursor(), prefix: append([]byte(source), 0), since: since}
	end := append([]byte(source), 1)
	k, v := st.c.Seek(end)
	if k == nil {
		k, v = st.c.Last()
	} else {
		k, v = st.c.Prev()
	}
	st.set(k, v)
	return st
}

// set makes k (with value v) the current key, or ends the stream when k
// is not one of this source's keys or is older than since.
func (st *sourceStream) set(k, v []byte) {
	st.story = nil
	if len(v) == 16 {
		st.story = v
	}
	if k == nil || !bytes.HasPrefix(k, st.prefix) || len(k) != len(st.prefix)+16 {
		st.key = nil
		return
	}
	key := k[len(st.prefix):]
	if st.since != nil && bytes.Compare(key, st.since) < 0 {
		st.key = nil
		return
	}
	st.key = key
}

func (st *sourceStream) next() {
	st.set(st.c.Prev())
}
