package dedup

import (
	"strings"
	"testing"
)

// TestBlankFormatPhrasesKeepsOffsets: letters whose lower case is longer or
// shorter in UTF-8 (İ, the Kelvin sign) do not move the blanked phrase.
func TestBlankFormatPhrasesKeepsOffsets(t *testing.T) {
	blank := func(phrase string) string { return strings.Repeat(" ", len(phrase)) }
	tests := []struct{ in, want string }{
		{"İİİ write x in lowest terms", "İİİ write x" + blank(" in lowest terms")},
		{"\u212a\u212a write x in lowest terms.", "\u212a\u212a write x" + blank(" in lowest terms") + "."},
		{"in lowest terms", "in lowest terms"}, // each phrase starts with a space
		{"a in simplest form and b in simplest form", "a" + blank(" in simplest form") + " and b" + blank(" in simplest form")},
	}
	for _, tc := range tests {
		var p prepared
		if got := p.blankFormatPhrases(tc.in); got != tc.want {
			t.Errorf("blankFormatPhrases(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
