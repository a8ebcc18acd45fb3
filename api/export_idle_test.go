package api_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bigmath/bigmath/api"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// smallBuffers is a listener whose connections have a small send buffer,
// so that a reader that stops reading stops the server's writes soon.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// exportServer serves a corpus of n problems whose texts repeat a
// sentence times times, with split "s" of them all, on a listener (wrapped by
// wrap) at a free address of the loopback, exports cut off after idle; it returns the server's base URL and
// its log of warnings.
func exportServer(t *testing.T, n, times int, idle time.Duration, wrap func(net.Listener) net.Listener) (string, *testutil.LockedBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pool := pgtest.New(t)
	ctx := context.Background()
	if _, err = pool.Exec(ctx, `INSERT INTO sources (name, role, license) VALUES ('s1', 'corpus', 'MIT')`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO problems (id, source_id, row_key, raw_hash, problem_raw, problem_norm, answer_raw, answer_canonical, answer_kind, status)
		SELECT 'p' || lpad(g::text, 6, '0'), (SELECT id FROM sources), 'r' || g, '\x00', repeat('What is ' || g || '? ', $2), repeat('what is ' || g || '? ', $2), g::text, g::text, 'integer', 'kept'
		FROM generate_series(1, $1::int) g`, n, times); err != nil {
		t.Fatal(err)
	}
	logged := new(testutil.LockedBuffer)
	logger := slog.New(slog.NewTextHandler(logged, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := &http.Server{Handler: api.NewRouter(api.Deps{Corpus: postgres.NewStore(pool), ExportIdleTimeout: idle, Logger: logger})}
	go srv.Serve(wrap(ln))
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()
	resp, err := http.Post(base+"/v1/splits", "application/json", strings.NewReader(`{"name":"s","seed":1,"fractions":{"train":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("create split: %d", resp.StatusCode)
	}
	return base, logged
}

// TestExportIdleCutOff: an export whose reader stops reading is cut off
// after ExportIdleTimeout, with one warning in the log, and its slot is
// free again; a slow reader that
// keeps reading gets the whole export.
func TestExportIdleCutOff(t *testing.T) {
	t.Parallel()
	const idle = time.Second
	base, logged := exportServer(t, 3000, 20, idle, func(ln net.Listener) net.Listener { return smallBuffers{ln} })
	dialer := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext, DisableCompression: true}}
	open := func() *http.Response {
		t.Helper()
		resp, err := client.Get(base + "/v1/splits/s/export?format=jsonl")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("export: %v %v", resp, err)
		}
		return resp
	}

	// The stalled reader.
	resp := open()
	br := bufio.NewReaderSize(resp.Body, 512)
	if _, err := br.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	time.Sleep(idle + 3*time.Second)
	n, err := io.Copy(io.Discard, br)
	resp.Body.Close()
	if err == nil {
		t.Errorf("a reader that stopped for %s got the whole export (%d more bytes); want it cut off after %s", idle+3*time.Second, n, idle)
	}
	if log := logged.String(); strings.Count(log, "export cut off") != 1 || !strings.Contains(log, "level=WARN") || strings.Contains(log, "level=ERROR") {
		t.Errorf("log after the cut-off, want one warning \"export cut off\" and no error:\n%s", log)
	}

	// A slow reader that keeps reading is not cut off.
	resp = open()
	defer resp.Body.Close()
	buf := make([]byte, 32<<10)
	var total int
	for {
		n, err := resp.Body.Read(buf)
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("slow reader cut off after %d bytes: %v", total, err)
		}
		time.Sleep(idle / 10)
	}
	if lines := total; lines == 0 {
		t.Errorf("slow reader got nothing")
	}
}

// TestExportSlowReaderDefaultBuffers reads a large export steadily but
// slowly (32 KB every quarter second: 256 KB per idle time, as a reader of
// 9 KB/s takes in the default 30 s) over a connection with the
// kernel's own, autotuned buffers, through api.Listener as bigmath serve
// uses it: the server must not take it for an idle reader. Without a cap on
// unsent bytes the kernel wakes a blocked write only when a large part of
// a send buffer of megabytes has drained, seconds after the reader last
// took bytes. (Measured on Linux loopback: half that pace, 128 KB per idle
// time, is cut off even with the cap: what a reader takes reaches the
// sender in steps of tens of kilobytes.)
func TestExportSlowReaderDefaultBuffers(t *testing.T) {
	t.Parallel()
	const idle = 2 * time.Second
	base, logged := exportServer(t, 20000, 100, idle, api.Listener)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Get(base + "/v1/splits/s/export?format=jsonl")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export: %v %v", resp, err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 32<<10)
	var total int
	for start := time.Now(); time.Since(start) < 6*idle; {
		n, err := io.ReadFull(resp.Body, buf)
		total += n
		if err != nil {
			t.Fatalf("the export ended after %d bytes (%v): cut off while reading (the export is about 48 MB)\n%s", total, err, logged.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
	// Hang up now: a reader that merely stopped would be cut off as idle
	// in its turn, and a warning logged after the loop would not tell
	// which of the two the server saw.
	resp.Body.Close()
	time.Sleep(idle / 2)
	if log := logged.String(); strings.Contains(log, "export cut off") {
		t.Errorf("a reader taking 32 KB every 250 ms (%d bytes in %s) was cut off as idle:\n%s", total, 6*idle, log)
	}
}
