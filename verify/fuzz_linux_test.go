//go:build linux

package verify

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU runs f on a locked OS thread and returns the CPU time that
// thread spent, so that a loaded machine does not inflate the measure.
func threadCPU(f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var a, b unix.Rusage
	if unix.Getrusage(unix.RUSAGE_THREAD, &a) != nil {
		start := time.Now()
		f()
		return time.Since(start)
	}
	f()
	if unix.Getrusage(unix.RUSAGE_THREAD, &b) != nil {
		return 0
	}
	tv := func(t unix.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(b.Utime) + tv(b.Stime) - tv(a.Utime) - tv(a.Stime)
}

// processCPU runs f and returns the CPU time the whole process spent
// (all threads, garbage collection included).
func processCPU(f func()) time.Duration {
	var a, b unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &a) != nil {
		f()
		return 0
	}
	f()
	if unix.Getrusage(unix.RUSAGE_SELF, &b) != nil {
		return 0
	}
	tv := func(t unix.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(b.Utime) + tv(b.Stime) - tv(a.Utime) - tv(a.Stime)
}
