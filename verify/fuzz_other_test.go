//go:build !linux

package verify

import "time"

// threadCPU runs f and returns the wall time it took.
func threadCPU(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

// processCPU runs f and reports 0: process CPU time is read on Linux only.
func processCPU(f func()) time.Duration {
	f()
	return 0
}
