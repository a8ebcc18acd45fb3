package ingest

import (
	"strconv"
	"strings"
)

// LevelDifficulty reads a level of the form "Level N" (MATH's "Level 1" to
// "Level 5"; the word in any case, one or more spaces, N a whole number
// from 0 to 100) as the difficulty N, on the source's own scale. Anything
// else ("Level ?", "Level 5a", "") has none. The ingest uses it when a
// source's difficulty field is absent or empty, so that min_difficulty and
// max_difficulty filter MATH problems.
func LevelDifficulty(level string) (float64, bool) {
	word, rest, ok := strings.Cut(strings.TrimSpace(level), " ")
	if !ok || !strings.EqualFold(word, "level") {
		return 0, false
	}
	rest = strings.TrimLeft(rest, " ")
	if rest == "" || len(rest) > 3 || strings.TrimLeft(rest, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n > 100 {
		return 0, false
	}
	return float64(n), true
}
