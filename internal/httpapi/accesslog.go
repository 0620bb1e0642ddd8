package httpapi

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// accessLog writes the one line per request (msg "request") in the JSON form slog's JSON
// handler gives every other log line, but appended by hand: through slog it cost ~2 µs, a
// tenth of the simplest request, against the budget of 5 % for logging and the token
// check together (BenchmarkConventionOverhead). The level is still the logger's.
type accessLog struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// accessEntry is what one line says.
type accessEntry struct {
	method, path, requestID, clientIP string
	status                            int
	bytes                             int64
	duration                          time.Duration
}

// logRequest writes e to the access log, or through the logger when Config.AccessLog is unset.
func (s *Server) logRequest(ctx context.Context, e accessEntry) {
	if !s.log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	ms := float64(e.duration.Microseconds()) / 1000
	if s.access == nil {
		s.log.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("method", e.method), slog.String("path", e.path),
			slog.Int("status", e.status), slog.Int64("bytes", e.bytes),
			slog.Float64("duration_ms", ms),
			slog.String("request_id", e.requestID), slog.String("client_ip", e.clientIP))
		return
	}
	a := s.access
	a.mu.Lock()
	defer a.mu.Unlock()
	b := append(a.buf[:0], `{"time":"`...)
	b = time.Now().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"INFO","msg":"request","method":`...)
	b = appendJSONString(b, e.method)
	b = append(b, `,"path":`...)
	b = appendJSONString(b, e.path)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, e.bytes, 10)
	b = append(b, `,"duration_ms":`...)
	b = strconv.AppendFloat(b, ms, 'f', -1, 64)
	b = append(b, `,"request_id":`...)
	b = appendJSONString(b, e.requestID)
	b = append(b, `,"client_ip":`...)
	b = appendJSONString(b, e.clientIP)
	b = append(b, "}\n"...)
	// One Write per line, like slog's handler, so lines of both never interleave.
	_, _ = a.w.Write(b)
	if cap(b) <= 4096 {
		a.buf = b
	}
}
