package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole data file to w and reports
// the bytes written. It reads in one read transaction, so ingest goes on
// meanwhile and the copy holds every write committed before it began and
// none after. Stopping ctx stops the copy at the next write to w. The copy
// is itself a data file: Open it to restore.
//
// A long backup keeps the pages it reads from being reused, so the file
// may grow while it runs; the space is reused afterwards.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	if cerr := ctx.Err(); err != nil && cerr != nil {
		// bbolt flattens the writer's error into text; keep it matchable.
		return n, fmt.Errorf("back up %s: %w", s.Path(), cerr)
	}
	if err != nil {
		return n, fmt.Errorf("back up %s: %w", s.Path(), err)
	}
	return n, nil
}

// ctxWriter fails writes once ctx is done: bbolt's WriteTo has no other
// way to be stopped.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// CompactResult reports the file sizes a Compact saw.
type CompactResult struct {
	Before, After int64 // bytes
}

// compactTxSize is how many bytes Compact copies per transaction: large
// enough that commits are few, small enough to bound memory.
const compactTxSize = 64 << 20

// Compact rewrites the data file at path into a new file holding the same
// data without free pages, then puts it in place of the old one. It holds
// the file's write lock throughout, so it fails with ErrInUse while a
// daemon has the file open, and no daemon can open it halfway.
//
// The new file is written next to the old one (same folder, so the rename
// is atomic), synced, and renamed over it; on any error the old file is
// left untouched and the temporary one removed. opts.Timeout bounds the
// wait for the lock; other fields are ignored.
func Compact(path string, opts *Options) (CompactResult, error) {
	var res CompactResult
	timeout := time.Second
	if opts != nil && opts.Timeout > 0 {
		timeout = opts.Timeout
	}
	fi, err := os.Stat(path)
	if err != nil {
		return res, fmt.Errorf("compact: %w", err)
	}
	res.Before = fi.Size()
	src, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return res, fmt.Errorf("compact %s: %w", path, ErrInUse)
	}
	if err != nil {
		return res, fmt.Errorf("compact: open %s: %w", path, err)
	}
	defer src.Close()
	removeStaleCompactions(path)

	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+compactSuffix+"*")
	if err != nil {
		return res, fmt.Errorf("compact %s: %w", path, err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmpPath)
		}
	}()
	if err := os.Chmod(tmpPath, fi.Mode().Perm()); err != nil {
		return res, fmt.Errorf("compact %s: %w", path, err)
	}
	// bbolt syncs every commit; NoFreelistSync is off, so the new file
	// is complete on disk once Close returns.
	dst, err := bolt.Open(tmpPath, fi.Mode().Perm(), &bolt.Options{Timeout: timeout})
	if err != nil {
		return res, fmt.Errorf("compact %s: open new file: %w", path, err)
	}
	if err := bolt.Compact(dst, src, compactTxSize); err != nil {
		dst.Close()
		return res, fmt.Errorf("compact %s: %w", path, err)
	}
	if err := dst.Close(); err != nil {
		return res, fmt.Errorf("compact %s: close new file: %w", path, err)
	}
	if err := syncFile(tmpPath); err != nil {
		return res, fmt.Errorf("compact %s: %w", path, err)
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return res, fmt.Errorf("compact %s: %w", path, err)
	}
	ok = true
	// The rename is only durable once the folder is synced; failing that
	// the data is safe either way (old or new file), so it is not an error.
	syncFile(filepath.Dir(path))
	if fi, err := os.Stat(path); err == nil {
		res.After = fi.Size()
	}
	return res, nil
}

// compactSuffix follows the data file's name in the temporary file
// Compact writes.
const compactSuffix = ".compact-"

// removeStaleCompactions removes the temporary files of compactions of
// the data file at path that never finished (the process was killed):
// each can be as large as the file. Only a holder of the file's write
// lock may call it: Compact writes its temporary file under that lock,
// so while the caller holds it no other compaction is running. It
// returns how many it removed.
func removeStaleCompactions(path string) int {
	dir, prefix := filepath.Dir(path), filepath.Base(path)+compactSuffix
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), prefix) && os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
