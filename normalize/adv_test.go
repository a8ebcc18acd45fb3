package normalize

import (
	"strings"
	"testing"
	"time"
)

func TestTextAdversarialSpeed(t *testing.T) {
	for _, s := range []string{
		strings.Repeat(`\frac{`, 5000),
		strings.Repeat(`\frac{a}{`, 5000) + strings.Repeat("}", 5000),
		strings.Repeat(`<<1=`, 5000),
		strings.Repeat(`&amp;`, 5000),
		strings.Repeat(`<span `, 5000),
		strings.Repeat(`\boxed{`, 5000),
		strings.Repeat("²", 5000),
		strings.Repeat(`$`, 5000),
		strings.Repeat(`\left`, 5000),
	} {
		start := time.Now()
		Text(s)
		LastBoxed(s)
		Classify(ClassifyInput{Problem: s, Answer: s, Solution: s, HasAnswer: true})
		t.Logf("%.10q: %v", s, time.Since(start))
	}
}
