package verify

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/bigmath/bigmath/verify/internal/extract"
)

// Extract returns the final answer a model response commits to, and ok=false
// when there is none (the verdict reason no_answer). It never panics, does no
// I/O, and runs in time linear in len(response): no regular expressions, no
// fixed character windows (a box far from the end is still found), and brace
// matching is a single counter, so 10,000 nested braces or a megabyte of text
// cost microseconds to milliseconds.
//
// The rules, in the order they are applied:
//
//  1. The answer region. Chat-template text around the response is dropped:
//     text up to the last assistant header ("<|im_start|>assistant",
//     "<|start_header_id|>assistant<|end_header_id|>", "<｜Assistant｜>") and
//     everything from the first end-of-turn token after it (<|im_end|>,
//     <|endoftext|>, <|eot_id|>, <|im_start|>, <|end|>, </s>,
//     <｜end▁of▁sentence｜>). When the response
//     contains "</think>", only the text after the last one is read: the
//     reasoning is not the answer. A "<think>" that is never closed means the
//     response was cut off while reasoning: ok=false.
//
//  2. Boxes. \boxed{...} and \fbox{...} with balanced braces (escaped \{ and
//     \} do not count), also \boxed 5 without braces. Boxes nested in a box
//     belong to the outer box. An unclosed box (the text ends inside it) means
//     the response was truncated: ok=false, even when an earlier box exists.
//     Boxes separated only by a short joiner (spaces, line breaks, commas,
//     semicolons, math delimiters, \quad, \text{and}, at most four words, no
//     sentence punctuation) form one group, and the last group is the boxed
//     answer:
//     - identical boxes count once (\boxed{4} ... \boxed{4} is 4);
//     - different boxes joined by "or" are alternatives: ok=false
//     (\boxed{2} or \boxed{3} hedges between two answers); so are two
//     forms joined by "=" (\boxed{\frac{25}{13}} = \boxed{1\frac{12}{13}}).
//     Response, which can compare values, accepts alternatives that are all
//     equal to the first (\boxed{x+11} or \boxed{11+x}) and then grades the
//     first; Extract, which only sees text, reports ok=false;
//     - otherwise the contents are joined with ", " into one list answer
//     (\boxed{1}, \boxed{2} and \boxed{3} is "1, 2, 3"); when every box in
//     the group carries an assignment label (x=\boxed{1}, y=\boxed{2}) the
//     labels are kept ("x=1, y=2"), so a system's solution stays readable.
//     The comparison, not extraction, decides whether such a list equals the
//     gold; a list never equals a single gold value, so listing candidates
//     earns nothing.
//     An empty box is no answer.
//
//  3. Markers. "... answer is X", "... answer: X" (also **Answer:** X,
//     "Final Answer: X", "the answer would/should/must/will be X", "answer = X",
//     "Answer $X$" at the start of a line, with the math right after the word),
//     a heading line such as "**Final Answer**" or "# Answer" followed by the
//     answer on the next non-empty line or after the closing bold on its own
//     line ("**Final Answer** Navin"), a GSM8K line "#### X", and a last
//     line "A: X" (the format of OpenAI's grade-school-math model outputs;
//     only as the last non-empty line, so an option list "A: ... B: ..." is
//     not an answer). The answer runs to the end of its sentence or line;
//     math spans ($...$, $$...$$, \(...\), \[...\]) are read whole and may
//     span lines. A prose answer ("Final Answer: The largest $n$ is 34.")
//     keeps what follows its last "is"/"are"/"equals"/"be"/"=", a subordinate
//     clause after the answer is dropped ("should be 51,200 bits if the rate
//     is 1 Gbps" gives "51,200 bits"; a case split, "5 if n is even and 6
//     if n is odd", is kept whole), so is a parenthesized remark in words
//     ("3.14 (approximately)" gives 3.14; "(1, 2)" and "(c)" stay), a
//     number with a label word and a restatement of the question after it
//     keeps the number and the label ("720 ways the 6 people can be seated
//     ..." gives "720 ways"; not after "than", "times", "per", "not" and
//     the like), and a
//     leading "therefore", "thus", "so", "approximately" is dropped. The last marker in the region wins. A marker
//     with nothing after it, or whose answer runs into the end of the text
//     with unbalanced braces or an unclosed $$ or \[, is a truncation:
//     ok=false.
//
//  4. Precedence: the commitment made last wins. Markers are only looked for
//     after the last box group. A marker there overrides the box only when it
//     states a final answer ("final answer", "the answer is", an "Answer:"
//     line, a heading or "####"; not "check the answer: ...") and its answer
//     starts like mathematics (a digit, sign, bracket, LaTeX command or
//     single-letter variable, once bold and delimiters are removed); so
//     "\boxed{5}. I am confident the answer is correct." keeps 5, while
//     "\boxed{255} ... Final Answer: The final answer is $10,455$." takes
//     10,455 (an intermediate box followed by a different stated final
//     answer).
//
//  5. A bare response: with no box and no marker, a response of one line is
//     the answer when it ends with a math span ("Therefore, $$3!$$" gives
//     3!, several different spans are no answer), or else when it has at
//     most three words of two or more letters, LaTeX command names not
//     counted ("42", "$28$ %", "x = 1 or x = 2"; not "I could not finish
//     the problem"). A short response that is one display block or one
//     environment (\begin{pmatrix}...\end{pmatrix}) over several lines is
//     the answer too.
//
//  6. A concluding sentence: with no box, no marker and no bare answer, the
//     response's last sentence (after polite closings such as "I hope it is
//     correct." are skipped) states the answer when it starts with a
//     conclusion word ("Therefore", "Thus", "Hence", "So", "Consequently",
//     "Finally", "In conclusion", "In summary"; also "The correct option",
//     after an optional step label "Step 6)") and holds no negation ("not",
//     "no", "never", "extraneous", "rejected", ...). Its answer is what follows
//     its last copula ("is", "are", "equals", "be", "=") when that starts like
//     mathematics and has at most two words, units included ("so the area is
//     $12$ cm$^2$." gives "12 cm^2"); otherwise its one math span, when every
//     span of the sentence is the same and at most four words follow it
//     ("Therefore $x \geq 5$ is the solution." gives "x \geq 5"). Different
//     spans without a copula before the last ("Thus $x = 3$ and $y = 4$
//     work") are competing conclusions: ok=false. A sentence ends at . ! or ?
//     before a space, at a line break (not after a colon or comma), or before
//     a capitalized conclusion word.
//
// There is no "last number anywhere in the text" fallback: a long response
// without a box, a marker or a concluding sentence has no answer, even when
// the gold value appears in it; a number inside a sentence that is not the
// answer of a copula ("there are 12 distinct sequences") is never taken.
//
// The answer is cleaned: surrounding whitespace, markdown bold (**73** gives
// 73, not 73**), quotes, math delimiters (also inside: "$x=1$ or $x=2$" gives
// "x=1 or x=2") and trailing sentence punctuation (. , ; :) are removed. LaTeX
// inside the answer (\text{}, \frac, units) is left for the parser.
func Extract(response string) (answer string, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			answer, ok = "", false
		}
	}()
	return extractFinal(response)
}

// extractFinal is Extract without the panic guard, so that tests and the
// fuzzer see a panic.
func extractFinal(response string) (string, bool) {
	a, alts := extract.Final(response)
	return a, a != "" && len(alts) == 0
}

// EndTokens returns the chat-template end-of-turn and end-of-sequence tokens
// (<|im_end|>, <|endoftext|>, <|end_of_text|>, <|eot_id|>, <|end|>, </s>,
// <｜end▁of▁sentence｜>, <end_of_turn>, <eos>), a fresh slice each call. It is
// the one list every reward route uses: Extract ends the answer region at the
// first of them, StripChatEnd removes them from the end of a response.
func EndTokens() []string { return extract.EndTokens() }

// StripChatEnd removes what trails a response decoded with its special tokens
// kept: the tokens of EndTokens and whitespace at the end, repeatedly
// ("x<|im_end|>\n<|endoftext|><|endoftext|>" gives "x"). Text before them is
// kept as is, end tokens inside the text too ("a<|im_end|>b" is unchanged;
// Extract reads only up to the first one).
func StripChatEnd(response string) string { return extract.StripChatEnd(response) }

// GoldStatus tells what GoldFromSolution found.
type GoldStatus string

// The statuses of GoldFromSolution.
const (
	// GoldFound: the solution states one answer (or, when the problem asks
	// for all of them, the list of its boxed answers).
	GoldFound GoldStatus = "found"
	// GoldNone: no closed box and no "####" line, an empty box, or a last
	// box that is never closed (a truncated solution).
	GoldNone GoldStatus = "none"
	// GoldUnclear: several different boxed answers, and the problem does
	// not ask for all of them: which one is the answer cannot be told.
	GoldUnclear GoldStatus = "unclear"
)

// GoldFromSolution reads the gold answer of a source's worked solution, the
// second mode of extraction (the first, for rewards, is Extract/Response: it
// commits to one final answer). A solution is not a model response: it may
// box each answer of a "find all" problem where it derives it, or box an
// alternative form it also accepts. The rules:
//
//   - The answers are the solution's closed top-level \boxed{} / \fbox{}
//     contents (cleaned as Extract cleans an answer). A box whose sentence
//     calls it an alternative ("\boxed{3} is also accepted", "... is also
//     correct", "alternatively \boxed{...}") is not one of them, unless every
//     box is.
//   - No box: the last GSM8K "#### X" line is the answer; without one there
//     is no answer (GoldNone). A last box that is never closed is a
//     truncated solution: GoldNone, even when earlier boxes exist.
//   - One distinct answer, however often boxed, or several that are equal in
//     value to the first (\boxed{\frac12} ... \boxed{0.5}): that answer.
//   - Several different answers and the problem asks for all of them ("find
//     all", "all possible values", "all real numbers", "enter all ...
//     separated by commas", "all solutions", ...): the distinct answers in
//     the order written, joined with ", " into one list answer ("-2, 1").
//   - Several different answers and the problem asks for any one of them
//     ("one of the foci", "either of the vertices"): GoldUnclear, since no
//     one gold string grades every right answer.
//   - Several different answers all in the solution's final box group
//     (x=\boxed{1}, y=\boxed{2}): the group's answer as Extract reads it.
//   - Otherwise several different answers: GoldUnclear, and answer "".
//
// It never panics; ctx bounds the value comparisons, each of which also has
// a deadline of one second: a comparison that runs out of time counts as
// different, so the result is then GoldUnclear (or a collected list), never
// a wrong single answer.
func GoldFromSolution(ctx context.Context, problem, solution string) (answer string, status GoldStatus) {
	return goldFromSolution(ctx, problem, solution, Options{Timeout: goldCompareTimeout})
}

// goldCompareTimeout bounds each value comparison of GoldFromSolution, which
// runs offline (ingest), where a slow comparison is better than a gold
// called unclear because the machine was busy.
const goldCompareTimeout = time.Second

// goldFromSolution is GoldFromSolution with the options of its value
// comparisons.
func goldFromSolution(ctx context.Context, problem, solution string, opts Options) (answer string, status GoldStatus) {
	defer func() {
		if r := recover(); r != nil {
			answer, status = "", GoldNone
		}
	}()
	boxes, unclosed := extract.SolutionBoxes(solution)
	if unclosed {
		return "", GoldNone
	}
	if len(boxes) == 0 {
		if a, ok := extract.HashAnswer(solution); ok {
			return a, GoldFound
		}
		return "", GoldNone
	}
	var main []extract.SolutionBox
	for _, b := range boxes {
		if !b.Alternative {
			main = append(main, b)
		}
	}
	if len(main) == 0 {
		main = boxes
	}
	var distinct []string
	allInLastGroup := true
	for _, b := range main {
		if !b.InLastGroup {
			allInLastGroup = false
		}
		if b.Content == "" {
			continue
		}
		seen := false
		for _, d := range distinct {
			if d == b.Content {
				seen = true
				break
			}
		}
		if !seen {
			distinct = append(distinct, b.Content)
		}
	}
	switch {
	case len(distinct) == 0:
		return "", GoldNone
	case len(distinct) == 1:
		return distinct[0], GoldFound
	case sameValue(ctx, distinct, opts) != "":
		return distinct[0], GoldFound
	case asksForOne(problem):
		// "Enter one of the foci": any of the boxes is right, so no one
		// gold string is.
	case asksForAll(problem):
		return strings.Join(distinct, ", "), GoldFound
	case allInLastGroup:
		if a, alts := extract.Final(solution); a != "" && len(alts) == 0 {
			return a, GoldFound
		}
	}
	return "", GoldUnclear
}

// allPhrases mark a problem that asks for every answer, not one.
var allPhrases = [...]string{
	"find all", "determine all", "enter all", "list all", "give all", "compute all", "solve for all",
	"all possible", "all the possible", "all values", "all the values", "all real", "all complex",
	"all integer", "all positive", "all negative", "all solutions", "all the solutions", "all roots",
	"all the roots", "all zeros", "all pairs", "all ordered", "all triples", "all such",
	"separated by commas", "comma-separated", "all numbers", "all angles", "all points",
}

// onePhrases mark a problem that asks for any one of several answers.
var onePhrases = [...]string{"one of the", "either of", "any one", "only one of", "one such", "one possible", "any of the"}

// asksForOne reports whether a problem asks for any one of its answers.
func asksForOne(problem string) bool {
	return mentionsAny(problem, onePhrases[:])
}

// asksForAll reports whether a problem asks for all of its answers.
func asksForAll(problem string) bool {
	return mentionsAny(problem, allPhrases[:])
}

// mentionsAny reports whether the problem, lower-cased with its spaces
// collapsed, contains one of the phrases.
func mentionsAny(problem string, phrases []string) bool {
	l := strings.ToLower(strings.Join(strings.Fields(problem), " "))
	return slices.ContainsFunc(phrases, func(p string) bool { return strings.Contains(l, p) })
}
