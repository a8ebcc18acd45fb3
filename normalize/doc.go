// Package normalize turns raw math problem text into one canonical form,
// extracts gold answers by each source's convention, and classifies problems
// by whether they have a single machine-checkable answer.
//
// It is pure: strings in, strings out, no I/O.
//
// # Canonical text (Text)
//
// Text applies these rules, in one scanner pass repeated until nothing
// changes, so that Text(Text(s)) == Text(s) for every input:
//
//   - Unicode: NFKC for everything except what NFKC would corrupt in math.
//     Superscript and subscript characters become LaTeX exponents and
//     indices (x² -> x^2, x₁₀ -> x_{10}) instead of NFKC's plain digits
//     (x² -> x2 changes the meaning). Vulgar fractions become \frac
//     (½ -> \frac{1}{2}) instead of NFKC's fraction slash. Letterlike symbols
//     (ℝ, ℕ, ℤ, ℏ, U+2100-214F) and circled numbers (①, ❶; these mark the
//     parts of multi-part problems) are kept as they are. Full-width forms
//     (（Ⅰ）, ＡＢ, ，) and ligatures are folded by NFKC. Zero-width characters,
//     soft hyphens and control characters are removed. A form feed or
//     backspace (or a carriage return) directly before letters is the
//     remnant of a JSON-escaped \f, \b or \r command ("\frac" read as
//     form feed + "rac") and is repaired to the command; a tab is repaired
//     only before a known command name (\times, \theta, ...); a newline
//     never is.
//   - Whitespace: every run of white space, including newlines, becomes one
//     space; leading and trailing space is removed. The canonical text is
//     one line. Display applies the same rules but keeps line breaks (one
//     per run), for text that is served: lists, options and [asy] code
//     (whose // comments end at the line break) need them.
//   - Math delimiters: \( \), \[ \], $$ and the equation, equation* and
//     displaymath environments all become $; adjacent delimiters merge, and
//     space just inside a delimiter is dropped. An escaped \$ is currency
//     and is kept.
//   - Commands: \dfrac and \tfrac become \frac, \dbinom and \tbinom become
//     \binom; the arguments of \frac, \binom and \sqrt are braced
//     (\frac12 -> \frac{1}{2}); \left, \right, \middle and the \big family
//     are dropped (with the "." of \left. and \right.); \displaystyle and
//     \textstyle are dropped; spacing commands (\, \; \: \quad \qquad
//     \hspace{..} and the like) become a space and \! disappears; a thin
//     space between digits (10\,000) disappears and {,} becomes ",". An
//     exponent or index of one braced character loses its braces
//     (x^{2} -> x^2).
//   - HTML: character references (&amp;, &lt;, &#39;) are decoded; known
//     tags are removed (<br>, <p>, <span ...>), and <sup>/<sub> become ^{ }
//     and _{ }. A "<" that does not open a known tag is a comparison and is
//     kept.
//   - GSM8K calculator notes (<<48+24=72>>) are removed.
//
// Digits are never rewritten: problems that differ only in their numbers stay
// different.
//
// # Answers
//
// Answer canonicalises a gold answer. Taking the answer out of a solution
// (its boxes, or GSM8K's "####" line) is the verifier's one extraction,
// verify.GoldFromSolution, which ingest and every reward route share.
//
// # Classification
//
// Classify reads a problem with its gold answer the way a careful grader
// would and returns the first reason that disqualifies it, in a fixed order
// (see Classify), or Keep. Each rule is documented on its Reason constant.
//
// # Multiple-choice recovery (Reformulate)
//
// Reformulate turns a problem that Classify calls multiple_choice into an
// open-ended one when rules alone can do it, and otherwise says why not
// (a Recovery). Each step below rejects with the reason named:
//
//   - The options block: labels A, B, C, ... in order, in the first of these
//     styles with enough labels: "(A)" (also inside \textbf{(A) }, \mathrm{},
//     \text{}), "A." / "A)" / "A:" starting lines, cn_k12's inline
//     "A: ... B: ..." and "A. ... B. ..." (or "A、") on one line (four labels at
//     least, as Classify finds them), and lower-case "(a)", "a)", "a.".
//     Labels inside [asy] code do not count. The last run of labels in the
//     text is the block; each option runs to the next label, the last to
//     the end of its line. No block: no_options_block (options drawn in a
//     figure, letter codes such as "Enter C for circle", unlabelled lists).
//     Text after the block other than an answering instruction ("Enter the
//     letter ...") is stem_broken.
//   - The key: a label ("B", "(B)", "\boxed{C}", "\text{(E)}", "B: 5",
//     "\textbf{(B)}\ 23"), or
//     a value equal (to the verifier) to exactly one option's value. Several
//     labels ("ACD", "B, C") or a stem that asks for several ("select all",
//     "separated by commas"): multi_select. No key, a label no option has,
//     or a value no option has: key_matches_no_option.
//   - The keyed option must be a value: "all/none of the above" (or "none
//     of these") is all_none_of_above; "not determined", "infinitely many",
//     words that are not units, a single letter (a coefficient's name),
//     geometric objects (\triangle ABC, \angle) or anything the verifier
//     does not parse, or parses as text, is option_not_a_value; a relation
//     (=, <, \le, \parallel, ..., except inside a set-builder set) or a
//     sentence of three words, in the keyed option or in most options, is
//     options_are_statements. A unit word that ends every option ("60
//     km/h") is dropped from the gold.
//   - The stem is the text before the block, without what belonged to the
//     block (a blank "(　　)", a dangling "$" or \textbf{) and a final
//     answering instruction ("Choose the correct answer."). One rewrite is
//     made: "Which of the following is equal to X" (or "equals", "is the
//     value of") becomes "What is X". The stem must stand alone: a question
//     about the options ("which of the following", "among the following",
//     "the following" unless it introduces the stem's own properties,
//     conditions, equations, figure or table,
//     a sentence that starts with "which" or "in which", "closest to",
//     "approximately", "estimate", NOT, EXCEPT, "how many of the
//     following", "letter", "answer choices") is stem_needs_options; a
//     question whose last sentence admits several answers ("a possible",
//     "could be", "must be", "can be", unless it asks for a count, sum or
//     extreme of them) is question_changes; a line that ends with a
//     function word before a new sentence (two problems run together) is
//     stem_broken. A stem that Classify would still call multiple choice is
//     stem_needs_options.
//
// The derived problem is the stem; its gold is the keyed option's content.
// Both then go through normalisation, classification and verification like
// any problem.
package normalize
