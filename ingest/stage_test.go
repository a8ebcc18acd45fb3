package ingest

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestExtractGold(t *testing.T) {
	t.Parallel()
	field := Spec{AnswerFrom: AnswerFromField, Fields: FieldMap{Problem: "problem", Answer: "answer", Solution: "solution"}}
	fieldNoSolution := Spec{AnswerFrom: AnswerFromField, Fields: FieldMap{Problem: "problem", Answer: "answer"}}
	boxed := Spec{AnswerFrom: AnswerFromBoxed, Fields: FieldMap{Problem: "problem", Solution: "solution"}}
	gsm := Spec{AnswerFrom: AnswerFromGSM8K, Fields: FieldMap{Problem: "question", Solution: "answer"}}
	tests := []struct {
		name   string
		spec   Spec
		fields string // a JSON object, decoded with UseNumber as readers do
		want   Gold
	}{
		// answer_from: field
		{"field string", fieldNoSolution, `{"answer": " 42 "}`, Gold{Answer: "42", HasAnswer: true}},
		{"field with leading zeros kept", fieldNoSolution, `{"answer": "025"}`, Gold{Answer: "025", HasAnswer: true}},
		{"field JSON float is exact", fieldNoSolution, `{"answer": 142.0}`, Gold{Answer: "142", HasAnswer: true}},
		{"field JSON decimal kept", fieldNoSolution, `{"answer": 0.25}`, Gold{Answer: "0.25", HasAnswer: true}},
		{"field null", fieldNoSolution, `{"answer": null}`, Gold{}},
		{"field missing", fieldNoSolution, `{"problem": "x"}`, Gold{}},
		{"field empty", fieldNoSolution, `{"answer": "  "}`, Gold{}},
		{"field with boxed solution", field, `{"answer": "\\frac{1}{2}", "solution": "so \\boxed{\\dfrac12}."}`,
			Gold{Answer: `\frac{1}{2}`, HasAnswer: true, SolutionFinal: `\dfrac12`, HasFinal: true, Solution: `so \boxed{\dfrac12}.`}},
		{"field with unboxed solution", field, `{"answer": "3", "solution": "It is 3."}`,
			Gold{Answer: "3", HasAnswer: true, Solution: "It is 3."}},
		// answer_from: boxed_in_solution
		{"boxed last of two", boxed, `{"solution": "first \\boxed{1}, then \\boxed{\\{2, 3\\}}"}`,
			Gold{Answer: `\{2, 3\}`, HasAnswer: true, Solution: `first \boxed{1}, then \boxed{\{2, 3\}}`}},
		{"boxed nested braces", boxed, `{"solution": "\\boxed{\\frac{a}{b^{2}}}"}`,
			Gold{Answer: `\frac{a}{b^{2}}`, HasAnswer: true, Solution: `\boxed{\frac{a}{b^{2}}}`}},
		{"boxed none", boxed, `{"solution": "no box here"}`, Gold{Solution: "no box here"}},
		{"boxed unclosed", boxed, `{"solution": "\\boxed{12"}`, Gold{Solution: `\boxed{12`}},
		// answer_from: gsm8k_hash
		{"gsm8k", gsm, `{"answer": "48+24 = <<48+24=72>>72 clips\n#### 72"}`,
			Gold{Answer: "72", HasAnswer: true, Solution: "48+24 = 72 clips\n#### 72"}},
		{"gsm8k thousands separator kept for the verifier", gsm, `{"answer": "so\n#### 1,080"}`,
			Gold{Answer: "1,080", HasAnswer: true, Solution: "so\n#### 1,080"}},
		{"gsm8k no marker", gsm, `{"answer": "72"}`, Gold{Solution: "72"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var fields map[string]any
			dec := json.NewDecoder(strings.NewReader(tc.fields))
			dec.UseNumber()
			if err := dec.Decode(&fields); err != nil {
				t.Fatal(err)
			}
			if got := ExtractGold(tc.spec, fields); got != tc.want {
				t.Errorf("ExtractGold(%s) = %+v, want %+v", tc.fields, got, tc.want)
			}
		})
	}
}
