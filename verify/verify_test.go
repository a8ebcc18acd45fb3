package verify

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

type answerCase struct {
	gold, pred string
	want       bool
	why        string // the bug report or policy line the row pins
}

// answerTables groups the policy rows by category. A row's why cites the
// peer defect (research/verifiers.md) or the policy line it pins.
var answerTables = map[string][]answerCase{
	"integers": {
		{"42", "42", true, ""},
		{"42", "042", true, "leading zeros"},
		{"123456789", "123456788", false, "Qwen 1e-4 tolerance accepts a near miss"},
		{"1000000", "1000050", false, "relative tolerance"},
		{"-5", "- 5", true, ""},
		{"7425000", "7,425,000", true, "thousands separators"},
		{"1000", "1\\,000", true, "thin-space separator (Math-Verify fails)"},
		{"40000", "40,\\!000", true, ""},
		{"1000", "1{,}000", true, ""},
		{"32349", "32, 349", false, "a spaced comma is a list, not a separator"},
		{"3.5 \\text{ cm}", "3,5 cm", true, "issue 9: a decimal comma bound to a unit"},
		{"2.5", "€2,50", true, "or to a currency sign"},
		{"12.5\\%", "12,5 \\%", true, ""},
		{"2.5", "2,5\\text{ kg}", true, ""},
		{"3.5", "3,5", false, "without a unit a comma separates answers"},
		{"1234", "1,234 cm", true, "three digits after a comma: thousands"},
		{"11111111100", "11,\\! 111,\\! 111,\\! 100", true, ""},
	},
	"decimals and fractions": {
		{"0.5", "\\frac{1}{2}", true, ""},
		{"0.75", "3/4", true, "same rational"},
		{"\\frac{1}{3}", "0.333", false, "a rounded decimal of a non-terminating value"},
		{"\\frac{1}{7}", "0.142857", false, "DESIGN: 0.142857 is not 1/7"},
		{"\\frac{1}{12}", "0.0833333333333333", true, "12+ significant digits, correctly rounded"},
		{"\\frac{1}{12}", "0.0833333333333334", false, "wrong last digit"},
		{"0.33", "\\frac13", true, "rounded decimal gold compared at its precision"},
		{"0.33", "0.3", false, "coarser decimal prediction"},
		{"0.33", "0.34", false, ""},
		{"0.5", "0.54", false, "one-digit decimal gold is exact"},
		{"1.5", "1.54", false, "a terminating prediction must equal the gold"},
		{"0.33", "0.333", false, "a terminating prediction must equal the gold"},
		{"3.14", "\\pi", true, "π rounds to the gold 3.14"},
		{"7.78", "\\frac{70}{9}", true, ""},
		{"0.0000001", "0.0000002", false, "Math-Verify #21 six-place rounding"},
		{"\\frac{1}{2^{99}}", "\\frac{1}{2^{98}}", false, "Math-Verify #14 tiny values"},
		{"\\frac{1}{2004!}", "\\frac{1}{2006!}", false, "Math-Verify #14 factorials"},
		{"\\frac{6}{8}", "\\frac34", true, "unreduced fractions are the same number"},
		{"\\frac{3}{4}", "\\frac{4}{3}", false, ""},
		{"2\\frac{1}{2}", "\\frac52", true, "mixed number"},
		{"7 3/4", "\\frac{31}{4}", true, "PRM800K mixed number"},
		{"\\frac{73}{4}", "7 3/4", false, "7 3/4 is not 73/4"},
		{"-2\\frac{1}{2}", "-2.5", true, ""},
		{"0.\\overline{3}", "\\frac13", true, "repeating decimal"},
		{"0.1\\overline{6}", "\\frac16", true, ""},
		{"1.5\\times 10^{3}", "1500", true, "scientific notation"},
		{"3 \\times 10^{8}", "3e8", true, "3e8 (Math-Verify fails)"},
		{"0.0015", "1.5e-3", true, ""},
		{"10/9", "\\frac{10}{9}", true, ""},
		{"\\frac{1}{3}", "\\frac13 ", true, "\\frac13 shorthand"},
		{"1", "\\frac3{3}", true, ""},
	},
	"radicals and constants": {
		{"2\\sqrt{2}", "\\sqrt{8}", true, ""},
		{"\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", true, "rationalized denominator"},
		{"\\sqrt{2+\\sqrt{3}}", "\\frac{\\sqrt{6}+\\sqrt{2}}{2}", true, "nested radical"},
		{"\\sqrt[3]{27}", "3", true, ""},
		{"\\sqrt[3]{-8}", "-2", true, "odd root of a negative number"},
		{"\\sqrt{2}", "1.41421356", false, "DESIGN: 1.414 is not √2"},
		{"\\sqrt{2}", "1.41421356237310", true, "15 significant digits, correctly rounded"},
		{"\\frac{1+\\sqrt{5}}{2}", "1+\\frac{\\sqrt{5}}{2}", false, "PRM800K grouping loss"},
		{"2", "\\frac{1+\\sqrt{5}}{2}", false, "last-number fallback"},
		{"4", "\\frac{34}{16}+\\frac{\\sqrt{1358}}{16}", false, ""},
		{"\\frac{\\pi}{2}", "\\frac12\\pi", true, ""},
		{"\\dfrac{\\pi}{2}", "pi/2", true, "Math-Verify #69 plain text"},
		{"-2\\pi", "-2*pi", true, "Math-Verify #69"},
		{"e^{16} - 1", "-1 + exp(16)", true, "Math-Verify #69"},
		{"1 - \\frac{1}{\\mathrm{e}}", "1 + \\frac{1}{\\mathrm{e}}", false, "disputed Math-Verify test"},
		{"2\\pi", "6.283185", false, "DESIGN: 12.566 is not 4π"},
		{"e^{2}", "\\exp(2)", true, ""},
		{"e^{i\\pi}", "-1", true, "Euler"},
		{"\\pi", "3.14", false, ""},
		{"\\pi", "\\frac{22}{7}", false, "close rational approximation"},
		{"2^{1000}+\\sqrt{2}", "2^{1000}+1+\\sqrt{2}", false, "difference below 320 bits relative"},
		{"\\frac{1}{2^{1000}}+\\sqrt{2}", "\\sqrt{2}", false, "tiny difference"},
		{"e^{1000}+1", "e^{1000}", false, ""},
		{"e^{\\pi\\sqrt{163}}", "262537412640768744", false, "near-integer: differs by 7.5e-13"},
		{"e^{1000}", "e^{500}e^{500}", true, ""},
		{"999999999e", "1e999999999", false, "issue 9: a huge exponent never collapses into the constant e"},
		{"e-20000000000", "1e-20000000000", false, ""},
		{"6ex", "2e3x", false, "scientific notation before a letter is not read"},
		{"\\sqrt{2}^{4000}", "2^{2000}", true, ""},
	},
	"functions": {
		{"\\sin\\frac{\\pi}{6}", "\\frac{1}{2}", true, ""},
		{"\\log_2 8", "3", true, "Qwen fails \\log_2 8"},
		{"\\log_8 2", "\\frac13", true, ""},
		{"\\ln e^3", "3", true, ""},
		{"\\cos 60^\\circ", "\\frac12", true, "degrees inside a function"},
		{"\\tan^2(y)+1", "\\sec^2(y)", true, "Qwen unit list eats sec"},
		{"\\arctan 1", "\\frac{\\pi}{4}", true, ""},
		{"\\arcsin(1)", "\\frac{\\pi}{2}", true, ""},
		{"\\binom{5}{2}", "10", true, ""},
		{"3!", "6", true, ""},
		{"\\lfloor 2.7 \\rfloor", "2", true, ""},
		{"\\lceil \\sqrt{2} \\rceil", "2", true, ""},
		{"|-3|", "3", true, ""},
		{"\\sin 2x", "2\\sin x\\cos x", true, ""},
		{"\\log 100", "2", true, "log is base 10"},
	},
	"complex": {
		{"3+4i", "4i+3", true, ""},
		{"\\frac{1+i}{2}", "\\frac12+\\frac{i}{2}", true, ""},
		{"3+4i", "3-4i", false, ""},
		{"14 - i", "14.0 + -1.0i", true, "Math-Verify #69"},
		{"i", "\\sqrt{-1}", true, ""},
		{"1+274i", "1+274i", true, ""},
	},
	"structures": {
		{"(1,2]", "(1,2]", true, ""},
		{"(1,2]", "(1,2)", false, "Qwen ignores bracket types"},
		{"[0,1)", "(0,1)", false, "Qwen ignores bracket types"},
		{"(-\\infty,3)\\cup(5,\\infty)", "(-\\infty, 3) \\cup (5, \\infty)", true, ""},
		{"(5,\\infty) \\cup (-\\infty,3)", "(-\\infty, 3) \\cup (5, \\infty)", true, "union order"},
		{"\\{1,2,3\\}", "\\{3,2,1\\}", true, ""},
		{"\\{1,2\\}", "\\{1,2,3\\}", false, ""},
		{"\\{1,2\\}", "(1,2)", false, "DESIGN: a set is not an ordered pair"},
		{"(1,2)", "(2,1)", false, ""},
		{"(1,\\frac{9}{2})", "(1,4.5)", true, ""},
		{"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", true, ""},
		{"\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}2\\\\1\\end{pmatrix}", false, ""},
		{"\\begin{pmatrix}1&2\\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}", false, "shape"},
		{"\\begin{pmatrix}1\\\\2\\end{pmatrix}", "(1,2)", true, "column vector as a tuple"},
		{"1, 2", "2, 1", true, "answer lists are unordered"},
		{"[1,2]", "1, 2", false, "an interval is not two answers"},
		{"1, 2", "[1,2]", false, ""},
		{"[1,5]", "[1,3]\\cup[3,5]", true, "issue 9: unions that simplify"},
		{"[1,5]", "[1,3)\\cup[3,5]", true, ""},
		{"[1,5]", "[1,3)\\cup(3,5]", false, "3 is missing"},
		{"[1,5]", "[1,2]\\cup[3,5]", false, ""},
		{"(-\\infty,\\infty)", "(-\\infty,2]\\cup(1,\\infty)", true, ""},
		{"\\begin{pmatrix}2&4\\\\6&8\\end{pmatrix}", "2\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", true, "issue 9: scalar times a matrix"},
		{"\\begin{pmatrix}2&4\\\\6&8\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}+\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", true, "sums"},
		{"\\begin{pmatrix}7&10\\\\15&22\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", true, "products"},
		{"\\begin{pmatrix}7&10\\\\15&22\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&5\\end{pmatrix}\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", false, ""},
		{"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&2\\end{pmatrix}\\begin{pmatrix}1&2\\end{pmatrix}", false, "shapes that do not fit"},
		{"(1,2)", "1, 2", true, "a point written without brackets"},
		{"1, 2", "1", false, ""},
		{"1, 2", "1, 2, 2", true, "as sets"},
		{"\\pm 2", "2, -2", true, ""},
		{"\\pm 2021", "2021", false, ""},
		{"1 \\pm \\sqrt{19}", "1+\\sqrt{19}, 1-\\sqrt{19}", true, ""},
		{"1, 2, \\ldots, n", "1, 3, 5, \\ldots, 2n-1", false, "Math-Verify #14 sequences"},
		{"1:2:3:\\ldots", "1:4:9:\\ldots", false, "Math-Verify #14 ratio chains"},
		{"12:00", "1:00", false, ""},
		{"7:32", "7:32", true, ""},
		{"(p,q)=(3,2)", "(3,2)", true, ""},
		{"p=5,q=2;p=7,q=2", "(5,2),(7,2)", true, "solutions grouped by ;"},
	},
	"equations and inequalities": {
		{"3", "x=3", true, ""},
		{"x=3", "3", true, "gold assignment"},
		{"y=2x+1", "y=1+2x", true, ""},
		{"2x+4y=6", "x+2y=3", true, "non-zero factor"},
		{"2x+4y-3=0", "y = -\\frac{1}{2}x + \\frac{3}{4}", true, "Math-Verify #26"},
		{"3x + 4y + 14=0", "3*x-1*y+13=0", false, "Math-Verify #60"},
		{"a+3z=0", "0", false, "an equation gold is not its right side"},
		{"101", "a+2z = 2z + a = 101", true, "prediction chain ending in the value"},
		{"a+2z = 2z + a = 101", "101", false, ""},
		{"x = 1/3", "x = 1/3 \\approx 0.33", true, "approximation is commentary"},
		{"x>1", "x>1", true, ""},
		{"x>1", "1<x", true, ""},
		{"x>1", "x\\ge 1", false, "Qwen accepts > for >="},
		{"x < 1", "-x > -1", true, ""},
		{"x < 1", "x > -1", false, ""},
		{"x \\geq 5", "x \\leq 5", false, ""},
		{"1 < x < 2", "(1,2)", true, "inequality gold accepts its interval"},
		{"(1,2)", "1 < x < 2", false, "interval gold refuses an inequality (echo)"},
		{"-2 \\le x \\le 7", "x \\in [-2,7]", true, ""},
		{"x \\in [-2,7]", "-2 \\le x \\le 7", false, "asymmetry"},
		{"x^2/4 + y^2/3 = 1", "x^2/16 + y^2/12 = 1/4", true, ""},
		{"x=3", "y=3", false, "variable names matter"},
		{"|x|\\geq 3", "(-\\infty,-3]\\cup[3,\\infty)", true, "issue 9: |x| >= a is a union"},
		{"|x|\\geq 3", "[3,\\infty)", false, "|x| is not x"},
		{"|x| \\geq 3", "x \\in (-\\infty,-3]\\cup[3,\\infty)", true, ""},
		{"|x|>3", "(-\\infty,-3]\\cup[3,\\infty)", false, "strictness"},
		{"|x|<2", "(-2,2)", true, ""},
		{"x<-3 \\text{ or } x>3", "(-\\infty,-3)\\cup(3,\\infty)", true, "a list of inequalities is a union"},
		{"x<-3 \\text{ or } x>3", "(-\\infty,-3)\\cup[3,\\infty)", false, ""},
		{"x>2", "(2,\\infty)", true, ""},
	},
	"expressions": {
		{"x^2+2x+1", "(x+1)^2", true, ""},
		{"a+b", "b+a", true, ""},
		{"x^2", "y^2", false, ""},
		{"(a+5)(b+2)", "(c+5)(b+2)", false, "Qwen unit list strips single letters"},
		{"(a+5)(b+2)", "(+5)(b+2)", false, ""},
		{"\\frac{x+2}{7}", "\\frac{x}{7}+\\frac{2}{7}", true, "PRM800K grouping"},
		{"x+2n+1", "x+1", false, ""},
		{"\\frac{x^2-1}{x-1}", "x+1", true, "removable singularity policy"},
		{"(x+1)^{200}", "(1+x)^{200}", true, ""},
		{"(x+1)^{200}", "(x+1)^{199}(x+1)+1", false, ""},
		{"f(x)", "f(y)", false, ""},
		{"|x|", "x", false, "positive-only sample points would accept it"},
		{"\\sqrt{x^2}", "|x|", true, ""},
		{"\\sqrt{x^2}", "x", false, ""},
		{"x^{2/3}", "\\sqrt[3]{x^2}", true, ""},
		{"2 \\sin b \\cos a", "\\sin(a+b)-\\sin(a-b)", true, ""},
		{"x", "x+(20x-596)(5x+935)(96x-814)(41x-959)", false, "issue 9: random points, not four fixed ones"},
		{"\\frac{1}{2}(\\exp{a*t}+\\exp{-a*t})", "\\cosh(at)", true, "well-conditioned points decide functions"},
		{"x", "x+\\sin(\\pi x)", false, "no grid of the points is a period"},
		{"3xy(x-2y)", "3x^2y-6xy^2", true, "issue 9: ^ binds the one letter before it"},
		{"x/2-1/4+ce^{-2x}", "\\frac12 x-\\frac14+c e^{-2x}", true, "ce^{-2x} is c·e^{-2x}"},
		{"abc^2", "a^2b^2c^2", false, "abc^2 is a·b·c², not (abc)²"},
		{"x^2y^2", "xy^2", false, "xy^2 is x·y²"},
		{"x^ab", "x^a b", true, "a superscript takes one letter"},
		{"\\sqrt{4\\piG\\rho_{0}}", "\\sqrt{4\\pi G \\rho_0}", true, "issue 9: a dataset stripped the space after \\pi"},
		{"2\\cos(\\pit+\\pi/3)", "-2\\cos(\\pi t-\\frac{2\\pi}{3})", true, ""},
		{"2\\frac{x^ab}{c}", "2\\frac{x^a b}{c}", true, "no token is lost when a mixed number backtracks"},
	},
	"units and percent": {
		{"5", "5\\text{ cm}", true, "unit on one side"},
		{"90", "90^\\circ", true, ""},
		{"90^\\circ", "\\frac{\\pi}{2}", false, "a degree answer stays in degrees"},
		{"8\\text{ g}", "8\\text{ kg}", false, "DESIGN: 8 g is not 8 kg"},
		{"100\\text{ cm}", "1\\text{ m}", true, "convertible units"},
		{"5\\text{ cm}", "5\\text{ s}", false, "different quantity"},
		{"28\\%", "28", true, "a percent is its number before the sign"},
		{"28\\%", "0.28", true, "issue 9: a percent is also its value"},
		{"\\frac14", "25\\%", true, ""},
		{"0.25", "25\\%", true, ""},
		{"28\\%", "0.29", false, ""},
		{"\\frac13", "33.33\\%", false, "a rounded percent of a value without a finite expansion"},
		{"28\\%", "28 percent", true, ""},
		{"28\\%", "28 pct", true, ""},
		{"\\$5.50", "5.5", true, "currency"},
		{"16386.17", "\\$16386.17", true, ""},
		{"575\\text{ students}", "575", true, "trailing label"},
		{"15\\mbox{ cm}^2", "15", true, ""},
		{"125 \\text{ miles}", "125\\textnormal{ miles}", true, ""},
		{"36", "36 \\mathrm{~mL}", true, "issue 9: SI prefixes; ~ inside \\mathrm"},
		{"1.0", "1 bit", true, "information units"},
		{"51200", "51,200 bits", true, ""},
		{"8 \\text{ bits}", "1 \\text{ byte}", true, "a byte is 8 bits"},
		{"5 \\text{ kPa}", "5000 \\text{ Pa}", true, "prefixed units convert"},
		{"5 \\text{ kJ}", "5 \\text{ J}", false, ""},
		{"10", "10 Mbps", true, ""},
		{"5 \\text{ kg}", "5000 g", false, "a single plain letter is a variable, never a unit"},
		{"25", "25^\\circ\\text{C}", true, "temperatures"},
		{"25^\\circ C", "25 °F", false, "°C and °F are different quantities"},
		{"\\text{A}", "\\text{B}", false, "single letters in \\text are choices, not ampere or byte"},
		{"12", "12^{\\mathrm{th}} \\text{ grade}", true, "an ordinal is its number"},
		{"12", "12th grade", true, ""},
		{"12", "11th \\text{ grade}", false, ""},
		{"3", "3th", false, "a wrong ordinal suffix is not read"},
	},
	"text and notation": {
		{"\\text{odd}", "odd", true, ""},
		{"\\text{Yes}", "yes", true, ""},
		{"\\text{even}", "\\text{odd}", false, ""},
		{"\\text{E}", "E", true, ""},
		{"d", "\\text{E}", false, ""},
		{"\\text{13}", "13", true, "Math-Verify #37"},
		{"\\frac{1}{2}", "\\left( \\frac{1}{2} \\right)", true, ""},
		{"5", "\\mathbf{5}", true, ""},
		{"5", "\\displaystyle 5", true, ""},
		{"1011_2", "1011_2", true, ""},
		{"1112112_3", "1112122_3", false, "Qwen drops base subscripts"},
		{"52_8", "52", true, "digits without the subscript"},
		{"52_8", "42", false, "the decimal value is not the base-8 answer"},
		{"A5_{11}", "A5_{11}", true, "issue 9: letter digits in a base above 10"},
		{"A5_{11}", "A6_{11}", false, ""},
		{"0.0011_2", "0.0011_2", true, "fractions in a base"},
		{"0.0011_2", "0.0101_2", false, ""},
		{"a_{11}", "a_{10}", false, "a lower-case subscripted name is not a numeral"},
		{"9:24", "3:8", true, "issue 9: ratios are equal when proportional"},
		{"1:2:3", "2:4:6", true, ""},
		{"1:2:3", "2:4:7", false, ""},
		{"3:8", "\\frac38", true, "a two-part ratio is its quotient"},
		{"12:00", "24:00", false, "clock times are not proportional ratios"},
		{"4:30 p.m.", "16:30", true, "times of day"},
		{"4:30 p.m.", "4:30", true, "a 12-hour clock without a.m./p.m."},
		{"4:30 p.m.", "4:30 a.m.", false, ""},
		{"4 p.m.", "16:00", true, ""},
		{"\\boxed{7}", "$7$", true, "wrappers"},
		{"4+i", "\\overline{4+i}", false, "issue 9: \\overline is the complex conjugate"},
		{"4-i", "\\overline{4+i}", true, ""},
		{"\\sqrt{2}-i", "\\overline{\\sqrt{2}+i}", true, ""},
		{"x", "\\bar{x}", true, "the conjugate of a real variable"},
		{"\\gcd(12,18)", "6", true, "gcd and lcm"},
		{"\\operatorname{lcm}(4,6)", "12", true, ""},
		{"\\operatorname{lcm}(4,6)", "24", false, ""},
		{"(-\\infty,\\infty)", "\\mathbb{R}", true, "the real line"},
		{"30", "€30", true, "currency before the number"},
		{"30", "30€", true, "and after it"},
		{"\\$30", "£30", false, "different currencies"},
		{"5", "five", true, "number words"},
		{"21", "twenty-one", true, ""},
		{"105", "one hundred and five", true, ""},
		{"5000000", "5 million", true, ""},
		{"5", "six", false, ""},
		{"15", "five ten", false, "not a number phrase"},
	},
}

func TestAnswerTables(t *testing.T) {
	ctx := context.Background()
	for cat, rows := range answerTables {
		t.Run(cat, func(t *testing.T) {
			for _, r := range rows {
				// a long timeout: deadlines are tested in TestReasons
				v := Answer(ctx, r.gold, r.pred, Options{Timeout: 10 * time.Second})
				if v.Correct != r.want {
					t.Errorf("Answer(%q, %q) = %v (%s; gold %q pred %q), want %v [%s]",
						r.gold, r.pred, v.Correct, v.Reason, v.GoldCanonical, v.PredCanonical, r.want, r.why)
				}
				if v.Correct != (v.Reward == 1) || v.Correct != (v.Reason == ReasonEqual) {
					t.Errorf("Answer(%q, %q): inconsistent verdict %+v", r.gold, r.pred, v)
				}
			}
		})
	}
}

func TestSignificantDigits(t *testing.T) {
	tests := []struct {
		gold, pred string
		sig        int
		want       bool
	}{
		{"\\frac13", "0.333", 3, true},
		{"\\frac13", "0.333", 4, false},
		{"\\frac43", "1.333", 4, true},
		{"\\frac43", "1.333", 5, false},
		{"\\sqrt{17}", "4.1231", 5, true},
		{"4", "4\\sqrt{2}", 5, false},
		{"(\\frac13, \\frac15)", "(0.33, 0.2)", 2, true},
	}
	for _, tt := range tests {
		v := Answer(context.Background(), tt.gold, tt.pred, Options{SignificantDigits: tt.sig})
		if v.Correct != tt.want {
			t.Errorf("Answer(%q, %q, sig %d) = %v (%s), want %v", tt.gold, tt.pred, tt.sig, v.Correct, v.Reason, tt.want)
		}
	}
}

func TestReasons(t *testing.T) {
	long := strings.Repeat("{", 10000) + "1" + strings.Repeat("}", 10000)
	garbage := strings.Repeat("#@!?*&^", 150000)
	tests := []struct {
		name, gold, pred string
		want             Reason
	}{
		{"equal", "1", "1", ReasonEqual},
		{"not equal", "1", "2", ReasonNotEqual},
		{"empty answer", "1", "  ", ReasonNoAnswer},
		{"empty boxed answer", "1", "\\boxed{}", ReasonNoAnswer},
		{"unparsable gold", "\\frac{", "1", ReasonUnparsableGold},
		{"unparsable answer", "1", "\\frac{", ReasonUnparsableAnswer},
		{"tower", "1", "10^{10^{10}}", ReasonBudgetExceeded},
		{"big factorial", "1", "100000!", ReasonBudgetExceeded},
		{"nested braces", "1", long, ReasonBudgetExceeded},
		{"megabyte of garbage", "1", garbage, ReasonBudgetExceeded},
		{"identical unreadable text", "\\zeta(3)^{?}", "\\zeta(3)^{?}", ReasonEqual},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			v := Answer(context.Background(), tt.gold, tt.pred, Options{})
			if v.Reason != tt.want {
				t.Errorf("reason %s, want %s (%+v)", v.Reason, tt.want, v)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestContextDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v := Answer(ctx, "\\sqrt{2}", "\\sqrt{2}+0", Options{})
	if v.Reason != ReasonBudgetExceeded {
		t.Errorf("canceled context: reason %s, want budget_exceeded", v.Reason)
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		gold, want string
		kind       Kind
	}{
		{"42", "42", KindInteger},
		{"042", "42", KindInteger},
		{"\\frac{6}{8}", "3/4", KindRational},
		{"0.75", "3/4", KindRational},
		{"\\dfrac{3}{4}", "3/4", KindRational},
		{"1+274i", "1+274*i", KindComplex},
		{"\\{3,1,2\\}", "{1,2,3}", KindSet},
		{"2, 1", "1, 2", KindSet},
		{"(1,2]", "(1,2]", KindInterval},
		{"(5,\\infty)", "(5,inf)", KindInterval},
		{"(1,2)", "(1,2)", KindTuple},
		{"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "[[1,2],[3,4]]", KindMatrix},
		{"x+1", "1+x", KindExpression},
		{"1+x", "1+x", KindExpression},
		{"y=2x+1", "y=1+2*x", KindEquation},
		{"x>1", "x>1", KindInequality},
		{"\\text{Monday}", "monday", KindText},
		{"2\\sqrt{2}", "2*sqrt(2)", KindReal},
		{"1\\pm\\sqrt{2}", "{1+sqrt(2),1-sqrt(2)}", KindSet},
		{"\\sqrt{12}\\sqrt{3}", "6", KindInteger},
		{"\\frac{1}{\\sqrt{3}}", "1/3*sqrt(3)", KindReal},
		{"52_8", "52_8", KindBase},
		{"A5_{11}", "A5_11", KindBase},
		{"9:24", "9:24", KindTime},
		{"3:8", "3:8", KindRatio},
		{"4:30 p.m.", "16:30", KindTime},
		{"28\\%", "28 %", KindInteger},
	}
	for _, tt := range tests {
		got, kind, err := Canonical(context.Background(), tt.gold, Options{})
		if err != nil || got != tt.want || kind != tt.kind {
			t.Errorf("Canonical(%q) = %q, %s, %v; want %q, %s", tt.gold, got, kind, err, tt.want, tt.kind)
		}
	}
	for _, bad := range []string{"", "\\frac{", "((1)"} {
		_, _, err := Canonical(context.Background(), bad, Options{})
		var e *Error
		if !errors.As(err, &e) || e.Reason != ReasonUnparsableGold {
			t.Errorf("Canonical(%q): err %v, want unparsable_gold", bad, err)
		}
	}
	_, _, err := Canonical(context.Background(), strings.Repeat("1+", 20000)+"1", Options{})
	var e *Error
	if !errors.As(err, &e) || e.Reason != ReasonBudgetExceeded {
		t.Errorf("Canonical(long): err %v, want budget_exceeded", err)
	}
}

// TestCanonicalEqualValues: equal exact values get equal canonical strings.
func TestCanonicalEqualValues(t *testing.T) {
	groups := [][]string{
		{"0.5", "\\frac12", "1/2", "\\dfrac{2}{4}", "50\\%/100"},
		{"1500", "1.5\\times10^3", "1,500", "3e3/2"},
		{"\\{1,2\\}", "\\{2,1\\}", "\\{2,1,1\\}"},
		{"2\\sqrt{2}", "\\sqrt{8}", "\\frac{4}{\\sqrt{2}}", "\\sqrt{2}+\\sqrt{2}"},
		{"\\frac{\\sqrt{6}+\\sqrt{2}}{2}", "\\frac{\\sqrt{2}}{2}+\\sqrt{\\frac{3}{2}}"},
	}
	for _, g := range groups {
		first, _, err := Canonical(context.Background(), g[0], Options{})
		if err != nil {
			t.Fatalf("Canonical(%q): %v", g[0], err)
		}
		for _, x := range g[1:] {
			c, _, err := Canonical(context.Background(), x, Options{})
			if err != nil {
				if strings.Contains(x, "%") {
					continue // percent inside an expression is not read
				}
				t.Errorf("Canonical(%q): %v", x, err)
				continue
			}
			if c != first {
				t.Errorf("Canonical(%q) = %q, Canonical(%q) = %q", x, c, g[0], first)
			}
		}
	}
}

// TestConcurrent runs checks from many goroutines (go test -race).
func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, rows := range answerTables {
				for _, r := range rows {
					// a long timeout: this test is about races, not speed
					if v := Answer(context.Background(), r.gold, r.pred, Options{Timeout: 10 * time.Second}); v.Correct != r.want {
						t.Errorf("concurrent Answer(%q, %q) = %v (%s)", r.gold, r.pred, v.Correct, v.Reason)
					}
				}
			}
		}()
	}
	wg.Wait()
}
