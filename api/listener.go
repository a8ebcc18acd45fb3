package api

import (
	"net"
)

// UnsentLimit is the most bytes a connection of Listener keeps queued in
// the kernel and not yet sent (TCP_NOTSENT_LOWAT where the system has it).
// A blocked write then wakes each time the reader has taken about half of
// it, so the export idle cut-off (Deps.ExportIdleTimeout) sees a slow
// reader's progress; without the limit a write waits for a large part of a
// send buffer of megabytes to drain and a reader that keeps reading slowly
// looks idle. The limit caps no throughput: bytes sent and not yet
// acknowledged do not count.
const UnsentLimit = 64 << 10

// Listener wraps ln so that its TCP connections keep at most UnsentLimit
// bytes unsent. bigmath serve listens through it; a server of the router
// that does not may cut off slow export readers as idle.
func Listener(ln net.Listener) net.Listener { return unsentLimited{ln} }

type unsentLimited struct{ net.Listener }

func (l unsentLimited) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		limitUnsent(tc, UnsentLimit)
	}
	return c, err
}
