package normalize

import (
	"strings"
	"testing"
)

// TestAdversarialInputs feeds pathological nesting and repetition: every
// entry point must return (the fuzz targets cover panics) and Text must stay
// idempotent. Speed on such inputs is measured by BenchmarkTextAdversarial.
func TestAdversarialInputs(t *testing.T) {
	for _, s := range adversarial() {
		once := Text(s)
		if Text(once) != once {
			t.Errorf("Text not idempotent on %.20q...", s)
		}
		if v := Classify(ClassifyInput{Problem: s, Answer: s, Solution: s, HasAnswer: true}); v.Reason == "" {
			t.Errorf("Classify(%.20q...) returned an empty reason", s)
		}
	}
}

func adversarial() []string {
	return []string{
		strings.Repeat(`\frac{`, 5000),
		strings.Repeat(`\frac{a}{`, 5000) + strings.Repeat("}", 5000),
		strings.Repeat(`<<1=`, 5000),
		strings.Repeat(`&amp;`, 5000),
		strings.Repeat(`<span `, 5000),
		strings.Repeat(`\boxed{`, 5000),
		strings.Repeat("²", 5000),
		strings.Repeat(`$`, 5000),
		strings.Repeat(`\left`, 5000),
		strings.Repeat(`(A) `, 5000),
	}
}

func BenchmarkTextAdversarial(b *testing.B) {
	in := adversarial()
	for b.Loop() {
		for _, s := range in {
			Text(s)
		}
	}
}
