package bigmath

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text search (ProblemFilter.Q) works on words: maximal runs of letters
// and digits, lower-cased, neither stemmed nor dropped as stop words (math
// problems are full of one-letter words that carry meaning, such as the
// variables a, i, s and t). Both sides use the functions below: SearchTerms
// makes the terms stored for a problem's text, and SearchWords the words of
// a query, so a query matches exactly the problems whose text has each of
// its words.
//
// A problem's terms are its distinct words and, for each word it has twice
// or more, the same word behind RepeatMark. A listing ranks a problem by
// the words of the query it has, each counted at most twice (SearchRank),
// and the marks let the text index find each rank's problems directly.

// RepeatMark prefixes a stored term that says the word after it occurs at
// least twice in the text. No word starts with it: a word is letters and
// digits only.
const RepeatMark = "+"

// maxTermBytes bounds one word of a search (longer runs, which are not
// words a reader searches for, are left out of the terms), and
// maxTermsBytes the terms of one text together, with their entries
// (PostgreSQL's tsvector holds at most 1 MB).
const (
	maxTermBytes  = 200
	maxTermsBytes = 512 << 10
)

// SearchTerms returns the stored search terms of a text, sorted by byte
// order and distinct: its words, then RepeatMark+word for each word that
// occurs at least twice.
func SearchTerms(text string) []string {
	words := appendWords(make([]string, 0, len(text)/5+1), text)
	slices.Sort(words)
	terms := words[:0]
	var repeated []string
	size := 0
	for i := 0; i < len(words); {
		j := i + 1
		for j < len(words) && words[j] == words[i] {
			j++
		}
		w := words[i]
		// A tsvector lexeme takes its bytes and a 4-byte entry.
		if size += len(w) + 4; j-i > 1 {
			size += len(RepeatMark) + len(w) + 4
		}
		if size > maxTermsBytes {
			break
		}
		terms = append(terms, w)
		if j-i > 1 {
			repeated = append(repeated, RepeatMark+w)
		}
		i = j
	}
	// RepeatMark sorts before every letter and digit, so the marked terms
	// come first in byte order.
	return append(repeated, terms...)
}

// SearchWords returns the distinct words of a query, in their first order.
func SearchWords(q string) []string {
	words := appendWords(nil, q)
	out := words[:0]
	for _, w := range words {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// Searches reports whether q has a letter or a digit: a word the text
// index can search (see ProblemFilter.Q). Listings with such a q are
// ranked.
func Searches(q string) bool {
	return strings.IndexFunc(q, isWordRune) >= 0
}

// SearchRank is the rank of a text for a query of n distinct words that it
// has, repeated of them twice or more: each word counted at most twice.
// Ranks are whole numbers from n to 2n.
func SearchRank(n, repeated int) float32 {
	return float32(n + repeated)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// appendWords appends the lower-cased words of s to dst, leaving out those
// longer than maxTermBytes.
func appendWords(dst []string, s string) []string {
	start := -1
	ascii, lower := true, true
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := s[start:end]
		switch {
		case len(w) > maxTermBytes:
		case ascii && lower:
			dst = append(dst, w)
		default:
			dst = append(dst, strings.ToLower(w))
		}
		start, ascii, lower = -1, true, true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				lower = false
			default:
				flush(i)
				i++
				continue
			}
			if start < 0 {
				start = i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			flush(i)
			i += size
			continue
		}
		if start < 0 {
			start = i
		}
		ascii = false
		i += size
	}
	flush(len(s))
	return dst
}
