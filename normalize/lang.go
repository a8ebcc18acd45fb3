package normalize

import (
	"strings"
	"unicode"

	"github.com/abadojack/whatlanggo"
)

// langOptions restricts the identifier to the languages math problems come
// in. A small set keeps short prose from being taken for a language that
// merely shares its trigrams (English math prose scored as Tagalog or
// Romanian). It is read-only after package initialisation.
var langOptions = whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{
	whatlanggo.Eng: true, whatlanggo.Fra: true, whatlanggo.Deu: true, whatlanggo.Spa: true,
	whatlanggo.Por: true, whatlanggo.Ita: true, whatlanggo.Nld: true, whatlanggo.Rus: true,
	whatlanggo.Ukr: true, whatlanggo.Pol: true, whatlanggo.Ces: true, whatlanggo.Ron: true,
	whatlanggo.Hun: true, whatlanggo.Tur: true, whatlanggo.Vie: true, whatlanggo.Ind: true,
	whatlanggo.Swe: true, whatlanggo.Dan: true, whatlanggo.Fin: true, whatlanggo.Bul: true,
	whatlanggo.Srp: true, whatlanggo.Hrv: true, whatlanggo.Cmn: true, whatlanggo.Jpn: true,
	whatlanggo.Kor: true, whatlanggo.Arb: true, whatlanggo.Pes: true, whatlanggo.Heb: true,
	whatlanggo.Hin: true, whatlanggo.Tha: true,
}}

// englishWords are English function words; prose with enough of them is
// English without asking the identifier.
var englishWords = wordSet("the of and is a an to in that for find what if let be are with how many which compute " +
	"determine given number value show prove from by its this it has have does do each much his her their there " +
	"on at as or than then when where who will was were can all")

// foreignWords are function words of other languages written in Latin
// script that English prose does not use ("die", "per", "van", "a", "in"
// are left out): on short prose they tell the identifier's guess from noise.
var foreignWords = wordSet("le la les des du un une est et dans sur avec pour tous tels soit sont el los las del y es " +
	"para por que con una der das und ist ein eine mit von sie alle dem zu für os do da dos das em um uma il lo gli " +
	"della di che dari dan yang untuk adalah het een jest oraz của và là")

func anyWord(words []string, set map[string]bool) bool {
	for _, w := range words {
		if set[w] {
			return true
		}
	}
	return false
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// langProse is the prose of a problem for language identification: the
// lower-cased text outside math with LaTeX command names, digits, Greek
// letters (variables) and the math placeholder removed.
func langProse(p prose) string {
	t := stripCommands(p.text)
	var b strings.Builder
	b.Grow(len(t))
	for _, r := range t {
		switch {
		case r == '§' || r >= '0' && r <= '9' || unicode.Is(unicode.Greek, r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plainEnglish is the fast path of nonEnglish for ASCII prose (math masked): it counts
// the words outside math and commands and the English function words among
// them without building the prose, and reports whether the prose is
// conclusively English (or too short to tell).
func plainEnglish(s string) (conclusive bool) {
	words, en, foreign := 0, 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\\' {
			i++
			for i < len(s) && isLetter(s[i]) {
				i++
			}
			continue
		}
		if c == 0xc2 && i+1 < len(s) && s[i+1] == 0xa7 { // the math placeholder §
			i += 2
			continue
		}
		if c >= 0x80 {
			return false
		}
		if !isLetter(c) {
			i++
			continue
		}
		j := i
		for j < len(s) && (isLetter(s[j]) || s[j] == '\'') {
			j++
		}
		words++
		if englishWords[s[i:j]] {
			en++
		} else if foreignWords[s[i:j]] {
			foreign++
		}
		i = j
	}
	return en >= 2 && en*8 >= words || words < 5 && foreign == 0
}

func nonEnglish(p prose) (string, bool) {
	if plainEnglish(p.text) {
		return "", false
	}
	text := langProse(p)
	latinASCII, latinOther, other := 0, 0, 0
	for _, r := range text {
		switch {
		case r < 0x80:
			if r >= 'a' && r <= 'z' {
				latinASCII++
			}
		case unicode.Is(unicode.Latin, r):
			latinOther++
		case unicode.IsLetter(r):
			other++
		}
	}
	letters := latinASCII + latinOther + other
	if letters == 0 {
		return "", false
	}
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	en := 0
	for _, w := range words {
		if englishWords[w] {
			en++
		}
	}
	// Prose mostly in another script: the identifier names the language.
	if other >= 4 && other*10 >= letters*3 {
		info := whatlanggo.DetectWithOptions(text, langOptions)
		if info.Lang != whatlanggo.Eng {
			return "language: " + langName(info.Lang), true
		}
		return "", false
	}
	// Fast path: Latin prose with English function words is English.
	if en >= 2 && en*8 >= len(words) {
		return "", false
	}
	// Short prose: the identifier's trigrams are unsure on a few words
	// (it takes "Compute the determinant" for French), so it is asked only
	// when the words themselves show another language: letters with
	// diacritics or a function word of another language, and no English one.
	if len(words) < 5 {
		if en > 0 && latinOther == 0 || en > 1 || latinOther == 0 && !anyWord(words, foreignWords) {
			return "", false
		}
		info := whatlanggo.DetectWithOptions(text, langOptions)
		if info.Lang != whatlanggo.Eng && info.Lang >= 0 {
			return "language: " + langName(info.Lang), true
		}
		return "", false
	}
	if other == 0 && latinOther == 0 && en*4 >= len(words) {
		return "", false
	}
	info := whatlanggo.DetectWithOptions(text, langOptions)
	if info.Lang == whatlanggo.Eng || info.Lang < 0 {
		return "", false
	}
	if info.IsReliable() || en == 0 && (len(words) >= 6 || latinOther > 0 || anyWord(words, foreignWords)) {
		return "language: " + langName(info.Lang), true
	}
	return "", false
}

func langName(l whatlanggo.Lang) string {
	if l < 0 {
		return "unknown"
	}
	return l.Iso6393()
}

// stripCommands removes LaTeX command names (\frac, \text) from s.
func stripCommands(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			for i+1 < len(s) && isLetter(s[i+1]) {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
