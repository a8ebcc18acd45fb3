package verify

import "math/big"

// nkind is the kind of a syntax-tree node.
type nkind uint8

const (
	nNum    nkind = iota // exact number literal: val; dec = printed fractional digits (-1: no point); s = printed digits
	nConst               // cst: π, e, i or ∞
	nVar                 // s: variable name
	nAdd                 // sum of args; flagMixed for a mixed number 2½
	nMul                 // product of args
	nNeg                 // -args[0]
	nDiv                 // args[0] / args[1]
	nPow                 // args[0] ^ args[1]
	nFunc                // fn: the function; args[0] argument, args[1] log base / root index / second argument
	nFact                // args[0]!
	nPM                  // args[0] ± args[1] (args[0] nil for a unary ±); flagMinusPlus for ∓
	nDeg                 // args[0] degrees
	nBase                // s: digits, val: base
	nTuple               // br: the bracket pair; args: entries
	nSet                 // args: elements; flagPM when it holds the values of a ±
	nList                // args: answers separated by commas or "and"; flagBraced for a braced list
	nUnion               // args: intervals or sets
	nMatrix              // args: rows (nList each)
	nRel                 // args: sides; rels: relations between them
	nText                // s: words
	nUnit                // args[0] with the unit named s
	nSeq                 // an ellipsis
	nRatio               // args: a:b:c
	nTime                // a time of day: val minutes after midnight
)

// funcID names a function of an nFunc node.
type funcID uint8

const (
	fnNone funcID = iota
	fnSin
	fnCos
	fnTan
	fnSec
	fnCsc
	fnCot
	fnArcsin
	fnArccos
	fnArctan
	fnArcsec
	fnArccsc
	fnArccot
	fnSinh
	fnCosh
	fnTanh
	fnLn
	fnLog // base 10, or args[1]
	fnExp
	fnSqrt
	fnRoot // args[1]-th root
	fnAbs
	fnFloor
	fnCeil
	fnBinom
	fnSum  // ops[0] bound variable, args body, lower, upper
	fnProd // likewise
	fnConj // complex conjugate
	fnGcd  // args: the integers
	fnLcm
)

// funcNames are the printed names of the functions; the ball evaluator
// reads a function node's s, which is set to this name.
var funcNames = [...]string{
	fnNone: "", fnSin: "sin", fnCos: "cos", fnTan: "tan", fnSec: "sec", fnCsc: "csc", fnCot: "cot",
	fnArcsin: "arcsin", fnArccos: "arccos", fnArctan: "arctan", fnArcsec: "arcsec", fnArccsc: "arccsc",
	fnArccot: "arccot", fnSinh: "sinh", fnCosh: "cosh", fnTanh: "tanh", fnLn: "ln", fnLog: "log",
	fnExp: "exp", fnSqrt: "sqrt", fnRoot: "root", fnAbs: "abs", fnFloor: "floor", fnCeil: "ceil",
	fnBinom: "binom", fnSum: "sum", fnProd: "prod", fnConj: "conj", fnGcd: "gcd", fnLcm: "lcm",
}

// funcByName maps written function names (commands and plain words) to
// their ids.
var funcByName = map[string]funcID{
	"sin": fnSin, "cos": fnCos, "tan": fnTan, "sec": fnSec, "csc": fnCsc, "cot": fnCot,
	"arcsin": fnArcsin, "arccos": fnArccos, "arctan": fnArctan, "arcsec": fnArcsec, "arccsc": fnArccsc,
	"arccot": fnArccot, "asin": fnArcsin, "acos": fnArccos, "atan": fnArctan,
	"sinh": fnSinh, "cosh": fnCosh, "tanh": fnTanh, "ln": fnLn, "log": fnLog, "exp": fnExp,
	"sqrt": fnSqrt, "abs": fnAbs, "floor": fnFloor, "ceil": fnCeil, "binom": fnBinom,
	"sum": fnSum, "prod": fnProd, "gcd": fnGcd, "lcm": fnLcm, "conj": fnConj,
}

// inverseTrig maps a trigonometric function to its inverse (\sin^{-1}).
var inverseTrig = map[funcID]funcID{
	fnSin: fnArcsin, fnCos: fnArccos, fnTan: fnArctan, fnSec: fnArcsec, fnCsc: fnArccsc, fnCot: fnArccot,
}

func (f funcID) String() string {
	if int(f) < len(funcNames) {
		return funcNames[f]
	}
	return "?"
}

// bigOp reports a sum or product with a bound variable.
func (f funcID) bigOp() bool { return f == fnSum || f == fnProd }

// constID names the constant of an nConst node.
type constID uint8

const (
	cNone constID = iota
	cPi
	cE
	cI
	cInf
)

var constNames = [...]string{cNone: "", cPi: "pi", cE: "e", cI: "i", cInf: "inf"}

func (c constID) String() string { return constNames[c] }

// relOp is a relation between the sides of an nRel node.
type relOp uint8

const (
	relEq relOp = iota
	relNe
	relLt
	relLe
	relGt
	relGe
	relIn
	relApprox
)

var relNames = [...]string{relEq: "=", relNe: "!=", relLt: "<", relLe: "<=", relGt: ">", relGe: ">=", relIn: "in", relApprox: "approx"}

func (r relOp) String() string { return relNames[r] }

// relByToken maps relation operator tokens to relations.
var relByToken = map[string]relOp{"=": relEq, "!=": relNe, "<": relLt, "<=": relLe, ">": relGt, ">=": relGe, "in": relIn, "approx": relApprox}

// flip returns the relation with its sides swapped (< becomes >).
func (r relOp) flip() relOp {
	switch r {
	case relLt:
		return relGt
	case relGt:
		return relLt
	case relLe:
		return relGe
	case relGe:
		return relLe
	}
	return r
}

// less reports < or <=; greater reports > or >=.
func (r relOp) less() bool    { return r == relLt || r == relLe }
func (r relOp) greater() bool { return r == relGt || r == relGe }

// bracket is the bracket pair of a tuple or interval: which ends are
// closed (square).
type bracket uint8

const (
	brLoClosed bracket = 1 << iota
	brHiClosed
)

const (
	brParen  bracket = 0                       // ( )
	brSquare         = brLoClosed | brHiClosed // [ ]
)

// bracketOf returns the pair of an opening and a closing bracket.
func bracketOf(open, close string) bracket {
	var b bracket
	if open == "[" {
		b |= brLoClosed
	}
	if close == "]" {
		b |= brHiClosed
	}
	return b
}

// matched reports () or [].
func (b bracket) matched() bool { return b == brParen || b == brSquare }

func (b bracket) open() string {
	if b&brLoClosed != 0 {
		return "["
	}
	return "("
}

func (b bracket) close() string {
	if b&brHiClosed != 0 {
		return "]"
	}
	return ")"
}

func (b bracket) String() string { return b.open() + b.close() }

// nflag carries the small facts about a node that its kind does not.
type nflag uint8

const (
	flagMixed     nflag = 1 << iota // nAdd: a mixed number
	flagBraced                      // nList: written in braces
	flagPM                          // nSet: the values of a ±
	flagMinusPlus                   // nPM: ∓ rather than ±
)

// node is a node of the syntax tree. Which fields are used depends on k
// (see the nkind constants); s is always literal text (a name, words, a
// unit name, digits), never an encoded choice.
type node struct {
	k     nkind
	fn    funcID
	cst   constID
	br    bracket
	flags nflag
	s     string
	args  []*node
	val   *big.Rat
	dec   int
	rels  []relOp
	ops   []string // fnSum, fnProd: ops[0] is the bound variable
	raw   string   // for top-level nodes: the normalized source text

	// memo of exact() without variables: 1 rational (in ex), 2 not rational
	exState uint8
	ex      cq
}

func (n *node) has(f nflag) bool { return n.flags&f != 0 }

// isConst reports the constant c.
func (n *node) isConst(c constID) bool { return n.k == nConst && n.cst == c }

// isFunc reports an application of f.
func (n *node) isFunc(f funcID) bool { return n.k == nFunc && n.fn == f }

// constNode returns a fresh constant node (outside the parser's budget:
// used for values the comparison builds).
func constNode(c constID) *node { return &node{k: nConst, cst: c, s: c.String(), dec: -1} }

// funcNode returns a fresh function application.
func funcNode(f funcID, args ...*node) *node {
	return &node{k: nFunc, fn: f, s: f.String(), args: args, dec: -1}
}

// ratNode returns a fresh exact number.
func ratNode(r *big.Rat) *node { return &node{k: nNum, val: r, dec: -1} }
