package feed

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"sync"
)

// An event stream is gzip-compressed for clients that accept it: the
// first message (the whole ticker) shrinks to about a quarter. A gzip
// writer per stream would hold hundreds of kilobytes for each of
// thousands of idle streams, so each write is compressed on its own by a
// pooled writer, as deflate blocks that refer to nothing before them and
// end on a byte boundary (a sync flush). One deflate stream may be cut
// into such pieces, so the stream stays valid gzip; a stream keeps only
// the running CRC-32 and length its trailer needs.

// gzipHeader is a gzip member header: deflate, no name, no time, unknown
// system.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// flatePool holds deflate writers between writes. BestSpeed resets
// without clearing its tables, which matters when every stream resets one
// for each event.
var flatePool = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // only an invalid level errs
	return w
}}

// sseGzip is the compression state of one event stream; its zero value
// has written nothing. It is not safe for concurrent use.
type sseGzip struct {
	started bool
	crc     uint32
	size    uint32 // of the data, modulo 2^32 as gzip keeps it
}

// segment returns frames compressed as a piece of the stream, led by the
// gzip header on the first call. The result is the caller's.
func (z *sseGzip) segment(frames [][]byte) []byte {
	var buf bytes.Buffer
	if !z.started {
		buf.Write(gzipHeader)
		z.started = true
	}
	fw := flatePool.Get().(*flate.Writer)
	fw.Reset(&buf)
	for _, f := range frames {
		fw.Write(f) // a bytes.Buffer does not fail
		z.crc = crc32.Update(z.crc, crc32.IEEETable, f)
		z.size += uint32(len(f))
	}
	fw.Flush()
	fw.Reset(io.Discard) // let go of buf
	flatePool.Put(fw)
	return buf.Bytes()
}

// trailer ends the stream: an empty final block, then the CRC-32 and the
// length of everything written.
func (z *sseGzip) trailer() []byte {
	b := []byte{0x03, 0x00} // final block, fixed codes, end of block
	b = binary.LittleEndian.AppendUint32(b, z.crc)
	return binary.LittleEndian.AppendUint32(b, z.size)
}
