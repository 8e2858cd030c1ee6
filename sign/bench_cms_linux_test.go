//go:build linux

package sign

import (
	"crypto"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// threadCPU returns the CPU time of the calling OS thread (CLOCK_THREAD_CPUTIME_ID), which machine load inflates
// far less than wall-clock time; callers lock the goroutine to its thread.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// benchCPU runs f b.N times and reports its thread CPU time per call ("cpu-ns/op").
func benchCPU(b *testing.B, f func() error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var total time.Duration
	n := 0
	for b.Loop() {
		c0 := threadCPU()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		total += threadCPU() - c0
		n++
	}
	b.ReportMetric(float64(total.Nanoseconds())/float64(n), "cpu-ns/op")
}

var benchManifest = []byte(`{"icon.png":"0123456789abcdef0123456789abcdef01234567","pass.json":"0123456789abcdef0123456789abcdef01234567"}`)

// BenchmarkContainer measures encoding the DER SignedData around a finished RSA signature (what Signature adds to
// the private-key operation), in thread CPU time.
func BenchmarkContainer(b *testing.B) {
	id := pkiOnce().identity(b)
	s, err := newSigner(id, crypto.SHA256)
	require.NoError(b, err)
	attrs, set, err := signedAttributes(benchManifest, crypto.SHA256, time.Now())
	require.NoError(b, err)
	sig, err := s.signAttributes(set)
	require.NoError(b, err)
	benchCPU(b, func() error { _, err := s.container(attrs, sig); return err })
}

// BenchmarkParseSignature measures parsing a pass signature (signer, intermediate, three signed attributes) without
// checking it, in thread CPU time.
func BenchmarkParseSignature(b *testing.B) {
	sig, err := Signature(benchManifest, pkiOnce().identity(b), crypto.SHA256, time.Now())
	require.NoError(b, err)
	benchCPU(b, func() error { _, err := parseSignedData(sig); return err })
}
