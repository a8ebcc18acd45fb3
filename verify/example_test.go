package verify_test

import (
	"context"
	"fmt"

	"github.com/bigmath/bigmath/verify"
)

func ExampleAnswer() {
	ctx := context.Background()
	for _, pair := range [][2]string{
		{`\frac{1}{2}`, `0.5`},
		{`\sqrt{2+\sqrt{3}}`, `\frac{\sqrt{6}+\sqrt{2}}{2}`},
		{`\frac{1}{3}`, `0.333`},
		{`123456789`, `123456788`},
		{`(1,2]`, `(1,2)`},
		{`x^2+2x+1`, `(x+1)^2`},
		{`1`, `10^{10^{10}}`},
	} {
		v := verify.Answer(ctx, pair[0], pair[1], verify.Options{})
		fmt.Printf("%-28s %-28s %-5v %-15s %s\n", pair[0], pair[1], v.Correct, v.Reason, v.Kind)
	}
	// Output:
	// \frac{1}{2}                  0.5                          true  equal           rational
	// \sqrt{2+\sqrt{3}}            \frac{\sqrt{6}+\sqrt{2}}{2}  true  equal           real
	// \frac{1}{3}                  0.333                        false not_equal       rational
	// 123456789                    123456788                    false not_equal       integer
	// (1,2]                        (1,2)                        false not_equal       interval
	// x^2+2x+1                     (x+1)^2                      true  equal           expression
	// 1                            10^{10^{10}}                 false budget_exceeded integer
}

func ExampleCanonical() {
	for _, gold := range []string{`\dfrac{6}{8}`, `\{3, 1, 2\}`, `1 \pm \sqrt{19}`, `40,\!000`} {
		c, kind, err := verify.Canonical(context.Background(), gold, verify.Options{})
		fmt.Println(c, kind, err)
	}
	// Output:
	// 3/4 rational <nil>
	// {1,2,3} set <nil>
	// {1+sqrt(19),1-sqrt(19)} set <nil>
	// 40000 integer <nil>
}
