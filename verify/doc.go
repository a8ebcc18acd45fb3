// Package verify decides whether an answer equals a gold answer, exactly
// and within a bounded amount of work. It is pure (no I/O), deterministic
// (except for the random sample points of expressions in variables, which
// change a verdict only with the probability bounded below) and safe for
// concurrent use; it keeps no mutable global state.
//
// Answer compares an already extracted answer with the gold; Response
// extracts the final answer of a model response first (see Extract);
// Canonical gives the canonical string and kind of a gold answer.
//
// # Extraction
//
// Extraction has two modes, each with one owner here. A reward check
// (Extract, Response) commits to ONE final answer: the last box group, else
// the last answer marker ("the answer is", "Final Answer:", "**Final
// Answer**", "####", a last line "A: 8"), else a bare one-line answer, else
// the math of a concluding sentence ("Therefore $x \geq 5$ is the
// solution.", "so the area is $12$ cm$^2$."). Only a concluding sentence or
// an answer marker counts: never "the last number anywhere"; different
// final boxes, boxes offered as alternatives ("or") and competing
// conclusions in one sentence give no_answer (Extract lists the rules). An
// option letter stated with its content ("(c) $\theta^{-1}$") answers an
// option-letter gold ((c)). A gold taken from a source's worked solution
// (GoldFromSolution) may instead COLLECT several boxes when the problem asks
// for all of them ("find all", "all possible values"), skips boxes offered
// as accepted alternatives, and reports GoldUnclear when several boxes
// differ and the problem does not ask for all. EndTokens is the one list of
// chat end tokens: Extract reads up to the first of them (and to the next
// turn's header), StripChatEnd removes them from the end of a response.
//
// A gold passed to Answer, Response or Canonical need not be a bare value: a
// gold holding \boxed{} is read as a solution (GoldFromSolution without a
// problem, so several different boxes count only as one final box group),
// and a gold that does not parse is retried on its extracted final answer
// ("$5$.", "The answer is 5.", a whole solution ending in a concluding
// sentence).
//
// # What is read
//
// Answers are LaTeX or plain text: integers, decimals, fractions (\frac,
// \dfrac, \tfrac, a/b), mixed numbers (2\frac12, 7 3/4), percent,
// scientific notation (3e8, 1.5\times10^{3}; an exponent of more than six
// digits, 1e999999999, is budget_exceeded, and 2e3x is not read: the e of
// a numeral is never the constant), thousands separators (1,000 1\,000
// 40,\!000 1{,}000; a plain comma or space groups digits only outside
// brackets, where it cannot separate tuple entries), a decimal comma (see
// below), repeating decimals (0.\overline{3}), number words ("five",
// "twenty-one", "one hundred and five", "three million"; "5 million" and
// "2.5 billion" are products; ordinal words and fractions in words are not
// read), ordinals (12th, 21st, 12^{\mathrm{th}}: the number, when the suffix
// fits it; "12th grade" carries the label "grade"), radicals (\sqrt,
// \sqrt[n]), powers, implicit multiplication, the constants π, e, i and ∞,
// \mathbb{R} (the interval (-∞, ∞)), functions (trigonometric and inverse,
// sinh/cosh/tanh, ln, log (base 10), log_b, exp, |x|, floor, ceil, gcd, lcm,
// n!, \binom, the complex conjugate \overline{z} and \bar{z}), degrees
// (^\circ), units and currency from a closed list, \text{} \mathrm{}
// \left \right and spacing commands, complex numbers, intervals and
// unions, sets, tuples, vectors and matrices (pmatrix, bmatrix, array, with
// scalar multiples, sums and products), equations and inequalities (also
// chains), lists joined by commas, "and" or "or", \pm, ratios (9:24),
// times of day (4:30 p.m.), base numerals (1011_2, A5_{11}, 0.0011_2) and
// text answers (\text{Monday}, odd). Math delimiters and a \boxed{} around
// the whole answer are removed. \sum and \prod with bounds are read; \int
// and \lim are not.
//
// As in LaTeX, ^ and _ take the one letter (or group, or command) before
// them, and a superscript without braces is one letter: xy^2 is x·y², abc^2
// is a·b·c², ce^{-2x} is c·e^{-2x}, x^ab is x^a·b. A run of four or more
// letters is a word, not a product. A command name that is not known but
// starts with a known one was glued to a variable by a dataset that strips
// spaces: \piG is \pi G, \pit is \pi t.
//
// # Equality policy
//
// Numbers are compared exactly. Rational values (everything built from
// integers, decimals and fractions with + - × ÷ and integer powers, and
// roots or logs that come out rational) are math/big.Rat values compared
// for identity: 123456788 is not 123456789, 1/2^99 is not 1/2^98,
// 0.0000001 is not 0.0000002, 6/8 equals 3/4.
//
// Irrational and transcendental values are evaluated as certified balls
// (a big.Float midpoint and a rounded-up radius bounding every rounding
// and propagation error) at 128 bits, then at 320 bits or more. Disjoint
// balls prove the values differ. Two values are taken as equal only when
// they agree to within 2^-256 relative at a precision of at least 320 bits
// and at least 256 + 2·S bits, where S is the largest binary magnitude
// (exponent, or bit length of an exact part) met in either evaluation, so
// that 2^1000+√2 and 2^1000+1+√2, or 2^-1000+√2 and √2, are told apart.
// When that cannot be decided within 8192 bits (catastrophic
// cancellation, values near a pole) the verdict is budget_exceeded, never
// equal. There is no global tolerance.
//
// Decimals against exact values follow the product policy:
//
//   - A decimal equals an exact gold when it is the same rational number
//     (0.75 = 3/4, 2.50 = 5/2, 0.\overline{3} = 1/3).
//   - A rounded decimal prediction of a value without a finite decimal
//     expansion is not equal by default (0.142857 for 1/7, 1.414 for √2,
//     6.283185 for 2π). Exception: a prediction printed with at least 12
//     significant digits is accepted when the gold rounds to it at the
//     prediction's own printed precision (0.0833333333333333 for 1/12), as
//     float64 output from a calculation is.
//   - When the gold itself is a decimal with at least two significant
//     digits and the prediction's value has no finite decimal expansion
//     (1/3, 100/3, π), the prediction is compared at the gold's printed
//     precision: it is equal when |prediction - gold| <= half a unit in
//     the gold's last place (gold 0.33, prediction 1/3: equal; gold 33.3,
//     prediction 100/3: equal; gold 3.14, prediction π: equal). A
//     prediction with a finite decimal expansion must equal the gold
//     exactly, since the gold may be exact (gold 1.5, prediction 1.54: not
//     equal; gold 0.33, prediction 0.333: not equal). A one-digit decimal
//     gold (0.5) is always exact.
//   - Options.SignificantDigits > 0 turns on approximate matching for
//     problems that ask for it: numbers are equal when they round to the
//     same value at that many significant digits of the gold's magnitude.
//
// Units, currency and percent are read, not thrown away. They are
// recognized only at the end of an answer (or of a list entry): inside
// \text{}/\mathrm{} (\mathrm{~mL} too), as a currency sign before or after
// the number (\$5, €30, 30€, £2, ¥100), or as a multi-letter unit word or
// symbol in plain text (36 mL, 1 bit, 51,200 bits, 10 Mbps); a single
// letter in plain text is always a variable, never a unit, and a single
// letter in \text{} is a unit only where the table says so (\text{A} to
// \text{E} are choices). The closed list: lengths, masses, times, volumes,
// areas and volumes of lengths, speeds, currencies, percent, degrees and
// radians, and the SI symbols m, g, s, L, N, J, W, Pa, Hz, V, A, mol, K,
// eV, Wh, cal, bit, B (byte) and bps with the prefixes k M G T m µ n p
// (c and d only for metres and litres, h only for pascals: cm, dL, hPa),
// their English names (newton, kilojoule, megabyte, ...), and the
// temperatures °C and °F (25°C, 25^\circ\text{C}), each a quantity of its
// own. A unit on one side only is fine (5 vs 5\text{ cm}, 90 vs
// 90^\circ). Units of the same quantity are converted (100 cm = 1 m, 1 kPa
// = 1000 Pa, 1 byte = 8 bits; 8 g is not 8 kg); different quantities are
// never equal (8 g is not 8 s, \$30 is not £30, 25°C is not 25°F).
//
// A percent on one side stands for both its number and its value: 25\%
// equals 25 (the number before the sign, as "by what percent" golds are
// stored) and 1/4 or 0.25 (its value), and nothing else (25\% is not 0.26,
// 33.33\% is not 1/3). Two percents compare as numbers.
//
// A decimal comma is read only where it cannot be a list separator or a
// thousands separator: digits, a comma, then one, two or four and more
// digits, with no space around the comma and no further comma or point in
// the number, bound to a unit or currency (3,5 cm; €2,50; 12,5 \%;
// 2,5\text{ kg}). Without one, 3,5 is the list 3, 5, and 1,234 (three
// digits) is one thousand two hundred thirty-four.
//
// A degree value at the top of an answer is a unit (90^\circ = 90, not
// π/2); inside a function it is converted to radians (\cos 60^\circ =
// 1/2). Other trailing \text{} words (\text{ ways}, \text{ students}),
// and a plain word after an ordinal (12th grade), are labels and are
// ignored on either side.
//
// Structure matters. Tuples, points, vectors and matrices are ordered and
// shaped (a column vector equals the tuple of its entries). Sets, the
// values of \pm, and lists of answers ("1, 2", "x = 1 or x = 2") are
// unordered and compared as sets; a list against a tuple is ordered. A
// set is not a tuple ({1,2} vs (1,2)). Interval ends must match,
// including openness; (a,b) is read as both an open interval and a pair,
// so it equals only (a,b). Unions of intervals with exact ends are merged
// into disjoint intervals first ([1,3] ∪ [3,5] = [1,5], [1,3) ∪ [3,5] =
// [1,5], but [1,3) ∪ (3,5] is not [1,5]) and compare as sets of intervals;
// unions of finite sets are merged. Scalar multiples, sums and products of
// matrices are computed before comparing (2A, A+B, AB for shapes that fit).
//
// Ratios (KindRatio) are equal when their parts are equal or, all parts
// being non-zero, proportional (9:24 = 3:8, 1:2:3 = 2:4:6); a two-part
// ratio also equals its quotient (3:8 = 3/8). A ratio printed as a clock
// time (h:mm with two minute digits below 60, h < 24) is compared part by
// part when both sides are clock-like (12:00 is not 1:00, 24:00 is not
// 12:00), since it may be a time. Times of day with a.m./p.m. (KindTime:
// 4:30 p.m., 4 pm) are minutes after midnight; they equal the same time on
// a 24-hour clock (16:30), or on a 12-hour clock when the other side has
// no a.m./p.m. (4:30), never the other half of the day (4:30 a.m.).
//
// Expressions in variables are compared by evaluation at random points
// drawn per check from a ChaCha8 stream seeded by crypto/rand, so no
// caller can know or aim at them: equal when the two sides agree at every
// point drawn where both are defined and real. Rational functions (numbers,
// constants, + − × ÷ and integer powers of the variables) are evaluated
// exactly at integer points, each coordinate uniform in [1, 2^22] with a
// fixed sign pattern on the first points (every sign combination of two
// variables); any one value then has probability at most 2^-22 (2^-21
// among the points where both sides are defined). If the sides have
// degree bounds Dg and Dp, their difference has a numerator of degree at
// most D = Dg + Dp, and by the Schwartz–Zippel lemma a non-zero numerator
// vanishes at a point with probability at most D·2^-21. k points with
// (D·2^-21)^k ≤ 2^-64 are required (4 points up to D = 32, 6 up to 1024,
// 11 at the cap D = 2^15, beyond which the verdict is budget_exceeded), so
// the probability of a wrong "equal" between two rational functions is at
// most 2^-64 per check. Equations and inequalities compared up to a
// constant factor take one more point (the first fixes the factor).
// Expressions with functions or non-integer powers of the variables are
// evaluated (certified balls, as above) at small rationals where sin, exp
// and powers are well-conditioned: p/q with q uniform in [2^20, 2^21) and
// p uniform in [1, 4q] with the same sign pattern, then positive only (for
// √x and ln x), in (0, 4] and (0, 64]; the denominators are random, so no
// fixed period (sin(πx) at integers) vanishes at them. Four agreeing points
// are required; no probability bound is proven for this class. With fewer
// defined points than required the sides are equal only when printed
// alike. |x| is not x; ln(x^2) equals 2 ln x where both are defined;
// \cosh(at) equals (e^{at}+e^{-at})/2. Variable names matter (x^2 is not
// y^2; f(x) is not f(y)). Removable singularities do not count:
// (x^2-1)/(x-1) equals x+1. e and i are always the constants. A complex
// conjugate of a real variable is the variable.
//
// Equations equal equations up to a non-zero constant factor (2x+4y=6 and
// x+2y=3; y=2x+1 and 2x-y+1=0). A prediction x=3 (or a chain ending in
// the value, a = b = 101) is accepted for the gold 3; a gold assignment
// x=3 (left side a name: x, a_3, f(x), |AB|, A:B, (p,q)) accepts the
// prediction 3, but a gold equation such as a+3z=0 does not accept 0.
// Approximations after an exact value are commentary: x = 1/3 \approx
// 0.33 is x = 1/3. Inequalities are equal when they describe the same
// half-space (x>1, 1<x, -x<-1) with the same strictness. An inequality
// gold in one variable accepts the interval it describes ((1,2) for
// 1<x<2, x \in [1,2] for 1 \le x \le 2, (2,∞) for x > 2; |x| ≥ 3 is
// (-∞,-3] ∪ [3,∞) and |x| < 2 is (-2,2); a list of inequalities in one
// variable, "x < -3 or x > 3", is the union of their intervals) but an
// interval gold does not accept an inequality prediction, so a policy
// cannot echo the question.
//
// Text answers compare case-insensitively with spacing collapsed
// (\text{Yes} = yes, \text{E} = E); two answers with the same text
// (spacing and \text/\mathrm wrappers aside) are always equal.
// Base-b numerals (KindBase) are equal when base and digits agree; a gold
// 52_8 accepts the digits 52 without the subscript but not the decimal
// value 42. Letters are digits only in upper case and in a base above 10
// (A5_{11}; a_{11} is a subscripted name), and a point gives fraction
// digits (0.0011_2).
//
// Interval golds stored as tuples: (a,b) with both ends open is both an
// open interval and a point, and is reported as KindTuple unless an end is
// infinite; it still equals the open interval (a,b) and nothing else, so
// reading it either way gives the same verdicts. An interval prediction
// written as an inequality is refused for such a gold, as for any interval
// gold (above).
//
// # Bounds
//
// Every check runs under Options.Budget (input length, expression nodes,
// digits of any exact number, size of integer exponents and factorials,
// nesting depth) and under a deadline: Options.Timeout (default 50 ms) or
// the context's deadline, whichever is earlier, checked inside the parser,
// the evaluators and the series loops. 10^{10^{10}}, 100000!, ten thousand
// nested braces or a megabyte of input end in budget_exceeded or
// unparsable_* within microseconds. A panic is recovered and reported as
// internal_error.
//
// # Canonical forms
//
// Canonical strings are deterministic. Exact numbers are written as
// reduced fractions or a+b*i (42, -3/4, 1+274*i), so equal exact values
// have equal strings; sums of rational multiples of square roots are
// written with square-free radicands in increasing order (√8, 2√2 and
// 4/√2 are all "2*sqrt(2)"; (√6+√2)/2 is "1/2*sqrt(2)+1/2*sqrt(6)"); sets
// and lists are sorted and deduplicated; other expressions are printed
// with sorted sums and products (√(2+√3) keeps its own form). Units follow
// the value ("15 cm2", "36 mL"), degrees as "deg". Merged unions and
// computed matrices print merged and computed; times of day print as
// "16:30", ratios as "9:24", base numerals as "A5_11".
package verify
