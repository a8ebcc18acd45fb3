// Package dedup finds exact and near-duplicate math problems and problems
// that overlap benchmark test sets. It is pure: no I/O, and an Index lives in
// memory; callers that persist state store a Fingerprint's fields.
//
// Every function takes normalized text (normalize.Text); raw text works but
// matches fewer formatting variants.
//
// # Fingerprints
//
// Fingerprint computes, once per problem, everything dedup needs:
//
//   - Exact: the xxh3-128 hash of the normalized text (ExactKey).
//   - Tokens: the text is read as tokens: lower-cased words, numbers (a
//     thousands separator "6,000,000" and a decimal point are part of the
//     number), LaTeX commands (\frac; wrappers such as \text and \mathrm are
//     skipped, \le/\leq, \ne/\neq and \dots/\ldots/\cdots are unified) and
//     operator symbols (+ - = < > ( ) ^ _ ...). White space, $, braces and
//     sentence punctuation are not tokens, so "x+1" and "$x + 1$" read the
//     same. Each CJK character is a token of its own.
//   - Figure code and links are set apart: [asy]...[/asy] blocks, URLs and
//     <img> tags form the "auxiliary" part; the rest is the prose.
//   - Shingles: token 3-grams of the prose, padded with two sentinel tokens
//     at each end (so the first and last words count as much as the
//     others), hashed to uint32, sorted, without repeats. The auxiliary part
//     keeps a bottom-32 sample of its 3-grams. Token 3-grams are used for
//     short problems too, rather than character 5-grams: the tokens are
//     already blind to formatting, the padding gives a 10-token problem 12
//     shingles, and with character grams a changed number is a smaller
//     share of the set (and short and long problems would use incomparable
//     shingles).
//   - Content: a hash of the multiset of the prose's content tokens:
//     numbers, one-letter variables, the operators + - < > and words that
//     flip the meaning (maximum/minimum, greater/less, not, odd/even, sum/
//     product, area/perimeter, ...); and a hash of the numbers inside
//     quoted strings of the figure code (labels such as "$40^\circ$" are
//     givens; coordinates and sizes are drawing details that copies
//     change). Digits are never normalised away: two problems whose content
//     tokens differ are different problems, however similar the rest
//     ("compute 3+5" and "compute 4+7"; MATH's "What is the maximum value
//     of y?" and "... minimum value of y?"; x^8+98x^4+1 and x^8-98x^4+1).
//   - Bands: MinHash with 128 hash functions, h_i(x) = a_i*mix(x) + b_i
//     mod 2^64 with a_i odd (multiply-add over a well-mixed 64-bit input: a
//     faster equivalent of universal hashing mod 2^61-1), fixed seed; the
//     128 minima are cut into 16 bands of 8 rows and each band hashed to a
//     uint64 key. Two problems with Jaccard similarity s share at least one
//     band key with probability 1-(1-s^8)^16: 0.61 at 0.7, 0.95 at 0.8,
//     0.994 at 0.85. Bands depend only on Shingles, so a stored shingle set
//     gives the same band keys again.
//
// # Explained duplicates
//
// Explain decides a candidate pair by reading both texts (Doc: the
// normalized text and the canonical gold answer): the pair is a duplicate
// when every difference between them is an allowed edit, and the decision
// lists those edits (Decision.Edits; a link stores Decision.LinkEdits).
// The texts are read as tokens (words by their Snowball stem, numbers,
// math variables, commands and operators, names, pronouns, units) after
// setting aside what never changes a problem; the token sequences are
// aligned (longest common subsequence) and every unmatched stretch must be
// explained. The allowed edits, by kind:
//
//   - latex_format: spacing, $ and brace placement (the "flat" form),
//     \dfrac/\frac, {a\over b}, \left/\right, AoPS empty groups ^{}_{}, ~,
//     \text{}/\it{}, environments (\begin{align*}), function names as text;
//   - stop_words: articles, prepositions, auxiliaries (lexicon.go);
//   - synonym:a/b: the synonym table (total/altogether/in all,
//     largest/greatest, prime factor/prime divisor, circumradii/radii of
//     the circles circumscribed, how many/find the number of, ...), and the
//     instruction words find/determine/compute/calculate/evaluate/what;
//   - inflection: the same stem ("marble"/"marbles");
//   - rename:A->B: a consistent one-to-one renaming of people (a
//     capitalised word inside a sentence, a listed first name, or a
//     capitalised word matched to one), pronouns following;
//   - unit:a/b: unit names, spellings and abbreviations after a number
//     (kilometers/km, metres/meters, \$5/5 dollars, 45^\circ/45 degrees);
//   - number_word: "three"/3, "twenty-five"/25, "a dozen"/12;
//   - format_instruction: "Express your answer as a common fraction." (and
//     other "express/give/write/enter/round your answer ..." sentences, and
//     "in lowest terms") in one copy only or worded differently;
//   - lead_in: a label opening one copy ("Question:", "Problem 3.");
//   - figure: figure code or a link (with its one-word caption) in one copy;
//     when both have figures, their label numbers must agree;
//   - cut_off: one copy stops short, unfinished (no closing punctuation),
//     covering at least half of the other; Decision.CutOff names it, and a
//     cut-off copy is never canonical (Clusters, Index);
//   - solution_appended: the longer copy goes on with solution text
//     ("Solution:", "We have", "\boxed", ...);
//   - reworded: other sentences with the same givens (prose numbers with
//     the word after each, units, and each math segment whole) and the same
//     content lemmas; with agreeing gold answers, 40% of the lemmas shared
//     suffice, unless the pair is a near copy with a word substituted.
//
// Anything else keeps the pair apart and is named in Decision.Difference:
// a content word (colours, objects, verbs such as filled/emptied), a point
// or variable name (\angle ADC / \angle BDC), a relation or operator
// (\perp/\parallel, z^3/\overline{z}^3), a number. In the Corpus mode two
// problems with different canonical answers are never duplicates. The
// Benchmark mode (decontamination) ignores answers and also allows
// answer_format (an AIME-style rewrite: "... is m/n, where m and n are
// relatively prime. Find m+n.") and changed_word (at most two words
// replaced one for one in a copy of 40 tokens or more, 95% aligned: a
// corrupted copy of a benchmark problem still leaks it).
//
// Candidates come from the MinHash bands and from blocking keys
// (Fingerprint.Blocks): the token sequence with names masked, the flat
// form, the first ten tokens, and the sorted givens. A candidate is
// explained only when its number sequence is compatible
// (Fingerprint.Numbers: equal, one a prefix of the other, or the same
// numbers reordered), so the cost stays on candidate pairs.
//
// # Near duplicates
//
// Index.AddDoc confirms candidates with Explain. Index.AddFingerprint
// (a stored fingerprint, no text) and Compare keep the shingle rule: two
// problems are near duplicates when they share a band key (candidates)
// and then, exactly: the Jaccard similarity of their prose shingle sets is
// at least the threshold (0.8 by default), their prose content tokens are
// the same multiset, and, when both carry figure code, the figure samples are as
// similar and their numbers equal too. A copy with a figure and a copy
// without one are compared by their prose: one source dropped the figure.
//
// Index clusters problems in the order they are added: a problem that is a
// duplicate of an earlier one joins the cluster of its most similar earlier
// match (the earliest among equals), unless its gold answer differs from
// the cluster's; the cluster's id is its first member.
// Clusters are never merged afterwards, so a streaming caller can write each
// result as soon as Add returns. Index also tracks each cluster's canonical
// member by priority (highest wins, the earlier member among equals).
//
// # In a pipeline
//
// Fingerprinting is the expensive, parallel part: give each worker its own
// Hasher and call Fingerprint on normalize.Text output. Adding is the cheap,
// sequential part: one goroutine calls Index.AddFingerprint in a fixed
// order, so cluster ids are reproducible. To continue from earlier runs,
// first add the stored problems in their stored order, then the new ones;
// Fingerprint.AppendBinary and Hasher.Decode store a fingerprint in one
// bytea (about 4 bytes per shingle; Decode recomputes the Bands). Store Bands as bigint (int64(key)) to
// find candidates in SQL, Shingles as integer[] (int32(s)), and confirm SQL
// candidates with Compare. The priority argument of AddFingerprint picks
// each cluster's canonical member; Match.Replaced tells when it changes.
//
// # Clusters
//
// Clusters resolves stored links into clusters: connected components,
// split by gold answer when members disagree (different answers are
// different problems), with contamination kept across the split and a
// cut-off copy never canonical.
//
// # Benchmark overlap (decontamination)
//
// OverlapIndex holds benchmark problems. A text overlaps a benchmark problem
// p when either
//
//   - it has the same tokens as p, or Explain in the Benchmark mode calls
//     it a copy of p (candidates: posting lists of p's rarest shingles,
//     enough for 50% containment, and p's blocking keys), or
//   - it embeds p: p has at least 20 shingles, the text contains at least
//     80% of them, the text has at least 1.5 times as many shingles as p,
//     every content token of p's prose is in the text (as a multiset), and figures
//     agree.
//
// This containment rule plays the part of the usual "long n-gram overlap"
// test, which does not fit math problems: a 20-token AIME statement has few
// 13-grams, and an n-gram rule ignores changed numbers. Short problems (under
// 20 shingles, such as "Determine the number of ways to arrange the letters
// of the word NINE.") are only matched as near duplicates, since one word can
// be their whole content. A rewrite with other words is caught when its
// givens and content lemmas are p's (reworded); no embeddings are used.
package dedup
