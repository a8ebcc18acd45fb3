package verify

import (
	"math/big"
	"strings"
)

// Number words. An answer that is only a number written in English words
// ("five", "twelve", "twenty-one", "one hundred and five", "three million")
// is that number; a number followed by a scale word ("5 million", "2.5
// billion") is the product. Ordinal words ("fifth") and fractions in words
// are not read.

var smallNumbers = map[string]int64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
	"forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var scaleWords = map[string]int64{"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

// wordsNumber reads a whole answer written as number words (tokens of plain
// words and hyphens); ok=false for anything else.
func wordsNumber(toks []token) (*big.Int, bool) {
	var words []string
	for _, t := range toks {
		switch {
		case t.k == tIdent && !strings.HasPrefix(t.s, `\`), t.k == tText:
			words = append(words, strings.Fields(strings.ToLower(strings.ReplaceAll(t.s, "-", " ")))...)
		case t.k == tOp && t.s == "-" && len(words) > 0:
			// twenty-one
		default:
			return nil, false
		}
	}
	if len(words) == 0 || len(words) > 20 {
		return nil, false
	}
	total, group := new(big.Int), int64(0)
	seen := false
	for i, w := range words {
		switch {
		case w == "and" && i > 0 && i < len(words)-1:
			continue
		case w == "hundred":
			if group == 0 || group >= 100 {
				return nil, false
			}
			group *= 100
		case scaleWords[w] > 0:
			if group == 0 {
				return nil, false
			}
			total.Add(total, new(big.Int).Mul(big.NewInt(group), big.NewInt(scaleWords[w])))
			group = 0
		default:
			v, ok := smallNumbers[w]
			if !ok {
				return nil, false
			}
			// "twenty one" but not "one twenty" or "five six"
			if group%100 != 0 && !(group%100 >= 20 && group%10 == 0 && v < 10) {
				return nil, false
			}
			group += v
			seen = true
		}
	}
	if !seen {
		return nil, false
	}
	return total.Add(total, big.NewInt(group)), true
}
