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
package normalize
