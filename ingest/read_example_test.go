package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/bigmath/bigmath/ingest"
)

func ExampleOpen() {
	spec := []byte(`sources:
  - name: demo
    role: corpus
    path: rows.csv.zip
    fields: {problem: problem, answer: answer, id: id}
`)
	dir, _ := filepath.Abs("testdata")
	specs, err := ingest.ParseSpecs(spec, "demo.yaml", dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := ingest.Open(context.Background(), specs[0], ingest.OpenOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		answer, _ := row.Text(specs[0].Fields.Answer)
		fmt.Printf("%s: answer %s, raw %.30s...\n", row.Key, answer, row.Raw)
	}
	// Output:
	// a1: answer 2, raw {"answer":"2","id":"a1","level...
	// a2: answer 1, raw {"answer":"1","id":"a2","level...
	// a3: answer 3, raw {"answer":"3","id":"a3","level...
}

func ExampleLoadSpecs() {
	_, err := ingest.ParseSpecs([]byte("sources:\n  - name: gsm8k\n    role: training\n"), "sources.yaml", ".")
	fmt.Println(err)
	specs, _ := ingest.LoadSpecs("builtin:gsm8k")
	for _, s := range specs {
		fmt.Println(s.Name, s.Role, s.Hub, s.Files, s.AnswerFrom)
	}
	// Output:
	// sources.yaml:3: source "gsm8k": field "role": must be corpus or benchmark, got "training"
	// gsm8k-train corpus openai/gsm8k [main/train-*.parquet] gsm8k_hash
	// gsm8k-test benchmark openai/gsm8k [main/test-*.parquet] gsm8k_hash
}
