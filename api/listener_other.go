//go:build !linux && !darwin

package api

import "net"

// limitUnsent does nothing where TCP_NOTSENT_LOWAT is not known.
func limitUnsent(*net.TCPConn, int) {}
