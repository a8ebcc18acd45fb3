package dedup

import "strings"

// The word lists of the explained comparison (Explain). They are ours:
// short, written for math problems, and each entry is an edit that never
// changes a problem's meaning.

// stopWords are function words whose presence or absence never changes a
// problem: an added "the" or "of" is the edit "stop_words". Words that can
// flip a meaning (not, no, more, less, only, each, all, before, after,
// above, below, between, from, to, than, same, other) are not here.
var stopWords = setOf(`a an the of is are was were be been being am it its this that these those there
	here then so if and or also as at in on by for with into onto about around upon
	do does did doing has have had having own owns owned owning possess possesses
	will would shall should can could may might must let lets please
	they them their theirs we us our you your i me my
	which who whom whose when where how
	s t just very really`)

// lightWords are content words that rewordings add or drop freely ("the
// total number of marbles", "how many marbles"): they are ignored when the
// content lemmas of a reworded copy are compared, never in the aligned
// comparison.
var lightWords = setOf(`how many much total number amount together given suppose know known want need value express
	get got gets use used two one both`)

// instructionWords ask for the answer; "Find x", "Compute x" and "What is
// x" are one problem. They are dropped like stop words, with the edit
// "synonym:find/what".
var instructionWords = setOf(`find determine compute calculate evaluate what`)

// pronouns are read as one token, so that a renamed person keeps matching.
var pronouns = setOf(`he she him her his hers himself herself`)

// synonyms maps a word or phrase (words separated by spaces, after stop
// words are dropped) to the spelling its family shares.
var synonyms = map[string]string{
	"altogether": "total", "combined": "total", "sum total": "total",
	"largest": "greatest", "biggest": "greatest",
	"smallest":      "least",
	"prime divisor": "prime factor", "prime divisors": "prime factors",
	"prime factor": "prime factor", "prime factors": "prime factors",
	"circumradii": "circumradii", "radii circles circumscribed": "circumradii",
	"radii circumscribed circles": "circumradii", "circumradius": "circumradius",
	"radius circle circumscribed": "circumradius", "radius circumscribed circle": "circumradius",
	"circumscribed circle": "circumcircle", "inscribed circle": "incircle",
	"randomly":  "random",
	"twice":     "2 times",
	"purchases": "buys", "purchased": "bought", "purchase": "buy",
	"pupils": "students", "pupil": "student",
}

// rawPhrases are synonyms whose phrase holds stop words; they are read
// before stop words are dropped.
var rawPhrases = map[string]string{"in all": "total", "in total": "total", "at random": "random",
	"how many": "how many", "what is the number of": "how many", "find the number of": "how many"}

// phraseStarts are the first words of rawPhrases.
var phraseStarts = func() map[string]bool {
	m := map[string]bool{}
	for k := range rawPhrases {
		m[strings.Fields(k)[0]] = true
	}
	return m
}()

// synonymStarts are the first words of synonyms.
var synonymStarts = func() map[string]bool {
	m := map[string]bool{}
	for k := range synonyms {
		m[strings.Fields(k)[0]] = true
	}
	return m
}()

// expanding are the first words of synonyms whose replacement has more
// words than the phrase ("twice" is "2 times").
var expanding = func() map[string]bool {
	m := map[string]bool{}
	for k, v := range synonyms {
		if len(strings.Fields(v)) > len(strings.Fields(k)) {
			m[strings.Fields(k)[0]] = true
		}
	}
	return m
}()

// maxPhrase is the most words in a key of synonyms.
const maxPhrase = 3

// unitWords maps unit names, spellings and plurals to one symbol; they
// apply anywhere. unitSymbols are the abbreviations, which apply only right
// after a number ("5 m", "5 \text{ m}"), since a lone "m" is a variable.
var unitWords = map[string]string{
	"kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
	"meter": "m", "meters": "m", "metre": "m", "metres": "m",
	"centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
	"millimeter": "mm", "millimeters": "mm", "millimetre": "mm", "millimetres": "mm",
	"kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
	"gram": "g", "grams": "g", "gramme": "g", "grammes": "g",
	"milligram": "mg", "milligrams": "mg",
	"liter": "l", "liters": "l", "litre": "l", "litres": "l",
	"milliliter": "ml", "milliliters": "ml", "millilitre": "ml", "millilitres": "ml",
	"foot": "ft", "feet": "ft", "inch": "in", "inches": "in", "yard": "yd", "yards": "yd",
	"mile": "mi", "miles": "mi", "pound": "lb", "pounds": "lb", "ounce": "oz", "ounces": "oz",
	"hour": "h", "hours": "h", "minute": "min", "minutes": "min", "seconds": "sec",
	"degree": "deg", "degrees": "deg", "percent": "%", "dollar": "usd", "dollars": "usd",
	"cent": "cent", "cents": "cent", "per": "/",
}

var unitSymbols = map[string]string{
	"km": "km", "m": "m", "cm": "cm", "mm": "mm", "kg": "kg", "g": "g", "mg": "mg", "l": "l", "ml": "ml",
	"ft": "ft", "in": "in", "yd": "yd", "mi": "mi", "lb": "lb", "lbs": "lb", "oz": "oz",
	"h": "h", "hr": "h", "hrs": "h", "min": "min", "mins": "min", "s": "sec", "sec": "sec", "secs": "sec",
	"second": "sec", "mph": "mph", "kmh": "kmh",
}

// numberWords are the number words read as their digits.
var numberWords = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
	"forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}

// numberScales multiply the number words before them.
var numberScales = map[string]int{"hundred": 100, "thousand": 1000, "million": 1000000}

// notNames are capitalised words that are not people: months, days,
// sentence-openers and the like. A rename of these is a content change.
var notNames = setOf(`january february march april may june july august september october november december
	monday tuesday wednesday thursday friday saturday sunday
	find determine compute calculate evaluate what how if let given suppose show prove there in on at for
	the a an each every all some both when while after before express give write enter round simplify
	assume consider note then suppose two three four five six seven eight nine ten one
	red blue green yellow orange purple pink black white brown gray grey violet silver gold
	north south east west left right top bottom`)

// firstNames are common first names, for names that only open a sentence
// ("Natalie sold clips ..."). A capitalised word inside a sentence is read
// as a name without the list.
var firstNames = setOf(`james john robert michael william david richard joseph thomas charles christopher daniel
	matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward
	jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel
	gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas
	zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald harold sean austin carl
	arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert willie alan juan wayne
	elijah randy roy vincent ralph eugene russell bobby mason philip louis tom tim jim bob bill ben sam max
	leo liam lucas oliver owen jake luke mike tony alex chris dan dave nick steve fred carlos marco
	mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret
	sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca
	sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha
	katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce
	virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline
	martha gloria teresa ann sara madison frances kathryn janice jean abigail alice julia judy sophia
	grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte
	marie kayla alexis lori mia ava chloe zoe lily ella lucy jane kate sally tina nina jill eva rosa
	natasha carla sophie emily jenny betty lila mila leah nora ivy ruby jasmine aisha fatima priya`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// wordClass says which of the word lists above a lower-case word is in, so
// that canonical looks a word up once and skips the lists it is not in
// (most words are in none).
type wordClass uint8

const (
	inNumberWords wordClass = 1 << iota
	inUnitWords
	inUnitSymbols
	inPhraseStarts
	inPronouns
	inStopWords
	inInstructionWords
)

// wordClasses is the class of every word of those lists.
var wordClasses = func() map[string]wordClass {
	m := map[string]wordClass{}
	markWords(m, numberWords, inNumberWords)
	markWords(m, unitWords, inUnitWords)
	markWords(m, unitSymbols, inUnitSymbols)
	markWords(m, phraseStarts, inPhraseStarts)
	markWords(m, pronouns, inPronouns)
	markWords(m, stopWords, inStopWords)
	markWords(m, instructionWords, inInstructionWords)
	return m
}()

// markWords adds class to the class of every word of list.
func markWords[V any](m map[string]wordClass, list map[string]V, class wordClass) {
	for w := range list {
		m[w] |= class
	}
}
