package ingest

import (
	"errors"
	"slices"
	"testing"

	"github.com/bigmath/bigmath"
)

func TestBuiltinSpecs(t *testing.T) {
	specs := BuiltinSpecs()
	names := map[string]bool{}
	for _, s := range specs {
		if names[s.Name] {
			t.Errorf("built-in source name %q used twice", s.Name)
		}
		names[s.Name] = true
		if s.Hub != "" && s.Revision == "" {
			t.Errorf("%s: no revision", s.Name)
		}
		for _, n := range BuiltinSpecNames() {
			if n == s.Name && len(must(t, "builtin:"+n)) > 1 {
				// A file named like a source shadows it; that is fine only
				// when the file holds just that source.
				t.Errorf("built-in file %s.yaml shadows the source of the same name", n)
			}
		}
	}
	// The datasets the curation issue asks for.
	for _, want := range []string{
		"gsm8k-train", "gsm8k-test", "math-train", "math-test", "math500", "numinamath-cot", "numinamath-1.5",
		"omni-math", "harp-main", "harp-proof", "aime-validation", "amc-validation", "deepscaler-preview",
		"openr1-math-220k", "dapo-math-17k", "big-math-rl-verified",
	} {
		if !names[want] {
			t.Errorf("no built-in source %q", want)
		}
	}
	hubs := map[string]string{}
	for _, s := range specs {
		hubs[s.Name] = s.Hub
	}
	for name, hub := range map[string]string{
		"gsm8k-train": "openai/gsm8k", "math500": "HuggingFaceH4/MATH-500", "numinamath-cot": "AI-MO/NuminaMath-CoT",
		"omni-math": "KbsdJames/Omni-MATH", "dapo-math-17k": "BytedTsinghua-SIA/DAPO-Math-17k",
		"big-math-rl-verified": "SynthLabsAI/Big-Math-RL-Verified", "deepscaler-preview": "agentica-org/DeepScaleR-Preview-Dataset",
	} {
		if hubs[name] != hub {
			t.Errorf("%s: hub %q, want %q", name, hubs[name], hub)
		}
	}
}

func must(t *testing.T, path string) []Spec {
	t.Helper()
	specs, err := LoadSpecs(path)
	if err != nil {
		t.Fatalf("LoadSpecs(%q): %v", path, err)
	}
	return specs
}

func specNames(specs []Spec) []string {
	var out []string
	for _, s := range specs {
		out = append(out, s.Name)
	}
	return out
}

func TestLoadBuiltin(t *testing.T) {
	tests := []struct {
		path string
		want []string
	}{
		{"builtin:gsm8k", []string{"gsm8k-train", "gsm8k-test"}},
		{"builtin:gsm8k.yaml", []string{"gsm8k-train", "gsm8k-test"}},
		{"builtin:gsm8k-test", []string{"gsm8k-test"}},
		{"builtin:harp", []string{"harp-main", "harp-proof"}},
		{"builtin:gsm8k-test, math500,gsm8k", []string{"gsm8k-test", "math500", "gsm8k-train"}},
		{"builtin:dapo-math", []string{"dapo-math-17k"}},
	}
	for _, tc := range tests {
		if got := specNames(must(t, tc.path)); !slices.Equal(got, tc.want) {
			t.Errorf("LoadSpecs(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
	all := must(t, "builtin:all")
	for _, s := range all {
		if s.Hub == "" {
			t.Errorf("builtin:all holds local-file source %s", s.Name)
		}
	}
	if len(all) != len(BuiltinSpecs())-2 {
		t.Errorf("builtin:all has %d sources, want all %d but the two HARP ones", len(all), len(BuiltinSpecs()))
	}
	dapo := must(t, "builtin:dapo-math-17k")[0]
	if dapo.Fields.Problem != "prompt.0.content" || dapo.Fields.Answer != "reward_model.ground_truth" {
		t.Errorf("dapo fields = %+v", dapo.Fields)
	}
	if _, err := LoadSpecs("builtin:nope"); !errors.Is(err, bigmath.ErrNotFound) {
		t.Errorf("unknown built-in: error = %v, want ErrNotFound", err)
	}
}
