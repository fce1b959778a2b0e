package proxy

import (
	"bytes"
	"io"
	"sync"
)

// prefixWriter copies an upstream's stderr to the proxy's stderr one whole
// line at a time, each line prefixed with the server's name, so output from
// several upstreams does not interleave mid-line.
type prefixWriter struct {
	mu     sync.Mutex
	out    io.Writer
	prefix []byte
	buf    []byte
}

// maxPartialLine flushes a line that never ends, so memory stays bounded.
const maxPartialLine = 64 << 10

func newPrefixWriter(out io.Writer, prefix string) *prefixWriter {
	return &prefixWriter{out: out, prefix: []byte(prefix)}
}

func (w *prefixWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			if len(w.buf) > maxPartialLine {
				w.emit(append(w.buf, '\n'))
				w.buf = w.buf[:0]
			}
			return len(p), nil
		}
		w.emit(w.buf[:i+1])
		w.buf = w.buf[i+1:]
	}
}

func (w *prefixWriter) emit(line []byte) {
	out := make([]byte, 0, len(w.prefix)+len(line))
	out = append(out, w.prefix...)
	out = append(out, line...)
	_, _ = w.out.Write(out) // a broken stderr must not stop the upstream
}
