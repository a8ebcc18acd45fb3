package verify

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ALTree/bigfloat"
)

// BenchmarkBallVsBigfloat times ball.go's exp, log and pow (the general
// exp(x·ln b) path) against github.com/ALTree/bigfloat at the same
// precision, on 64 fixed random arguments (exp: x in [1/2, 8); log:
// x in [1/16, 256); pow: b in [1, 16), x in [1/4, 4)). The ball side gets a
// fresh check state per call, as a check does, so log pays for ln 2 each
// time; its result is a certified ball, bigfloat's a float. cpu-ns/op is
// the process CPU time per call, steadier than ns/op on a loaded machine.
func BenchmarkBallVsBigfloat(b *testing.B) {
	for _, bits := range []uint{128, 320, 1000} {
		rng := rand.New(rand.NewPCG(9, uint64(bits)))
		args := func(lo, hi int) []*big.Float {
			xs := make([]*big.Float, 64)
			for i := range xs {
				xs[i] = randMant(rng, bits, lo+rng.IntN(hi-lo+1))
			}
			return xs
		}
		expX, logX, powB, powX := args(0, 3), args(-3, 8), args(1, 4), args(-1, 2)
		for _, fn := range []struct {
			name string
			ball func(e *bev, i int) error
			ref  func(i int) *big.Float
		}{
			{"exp", func(e *bev, i int) error {
				_, err := e.exp(ball{expX[i], rnew()})
				return err
			}, func(i int) *big.Float { return bigfloat.Exp(expX[i]) }},
			{"log", func(e *bev, i int) error {
				_, err := e.log(ball{logX[i], rnew()})
				return err
			}, func(i int) *big.Float { return bigfloat.Log(logX[i]) }},
			{"pow", func(e *bev, i int) error {
				c := chain{e: e}
				c.exp(c.mul(c.log(ball{powB[i], rnew()}), ball{powX[i], rnew()}))
				return c.err
			}, func(i int) *big.Float { return bigfloat.Pow(powB[i], powX[i]) }},
		} {
			b.Run(fmt.Sprintf("%s/bits=%d/ball", fn.name, bits), func(b *testing.B) {
				b.ReportAllocs()
				cpu := processCPU(func() {
					for i := 0; b.Loop(); i++ {
						if err := fn.ball(&bev{s: refState(), prec: bits}, i%64); err != nil {
							b.Fatal(err)
						}
					}
				})
				reportCPU(b, cpu)
			})
			b.Run(fmt.Sprintf("%s/bits=%d/bigfloat", fn.name, bits), func(b *testing.B) {
				b.ReportAllocs()
				cpu := processCPU(func() {
					for i := 0; b.Loop(); i++ {
						fn.ref(i % 64)
					}
				})
				reportCPU(b, cpu)
			})
		}
	}
}

// reportCPU reports the process CPU time per operation: on a shared,
// loaded machine wall time measures the neighbours too.
func reportCPU(b *testing.B, cpu time.Duration) {
	if cpu > 0 && b.N > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
