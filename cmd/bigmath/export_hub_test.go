package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/parquet-go/parquet-go"
	"go.yaml.in/yaml/v4"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// hubCard is the part of a dataset card's YAML header that the Hub
// documents and `datasets.load_dataset` reads, parsed independently of
// export.HubCardHeader.
type hubCard struct {
	License        []string `yaml:"license"`
	PrettyName     string   `yaml:"pretty_name"`
	SizeCategories []string `yaml:"size_categories"`
	Configs        []struct {
		ConfigName string `yaml:"config_name"`
		DataFiles  []struct {
			Split string `yaml:"split"`
			Path  string `yaml:"path"`
		} `yaml:"data_files"`
	} `yaml:"configs"`
	DatasetInfo struct {
		Features []struct {
			Name  string `yaml:"name"`
			Dtype string `yaml:"dtype"`
		} `yaml:"features"`
		Splits []struct {
			Name        string `yaml:"name"`
			NumBytes    int64  `yaml:"num_bytes"`
			NumExamples int64  `yaml:"num_examples"`
		} `yaml:"splits"`
		DownloadSize int64 `yaml:"download_size"`
		DatasetSize  int64 `yaml:"dataset_size"`
	} `yaml:"dataset_info"`
}

var shardName = regexp.MustCompile(`^data/(train|validation|test)-(\d{5})-of-(\d{5})\.parquet$`)

// checkHubDir reads every Parquet file of a Hub export back and checks the
// card against them and the version; it returns the rows per split.
func checkHubDir(t *testing.T, dir string, v bigmath.SplitVersion) map[string][]export.Row {
	t.Helper()
	card, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	head, body, ok := strings.Cut(strings.TrimPrefix(string(card), "---\n"), "\n---\n")
	if !strings.HasPrefix(string(card), "---\n") || !ok {
		t.Fatalf("README.md has no YAML header between --- lines:\n%.300s", card)
	}
	var h hubCard
	dec := yaml.NewDecoder(strings.NewReader(head))
	if err := dec.Decode(&h); err != nil {
		t.Fatalf("card YAML: %v\n%s", err, head)
	}
	rows := map[string][]export.Row{}
	var download int64
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "README.md" {
			return nil
		}
		m := shardName.FindStringSubmatch(rel)
		if m == nil {
			t.Errorf("unexpected file %s in the Hub layout", rel)
			return nil
		}
		got, err := parquet.ReadFile[export.Row](p)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		for _, r := range got {
			if r.Split != m[1] {
				t.Errorf("%s: row %s of split %s", rel, r.ID, r.Split)
			}
		}
		fi, _ := d.Info()
		download += fi.Size()
		rows[m[1]] = append(rows[m[1]], got...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Configs) != 1 || h.Configs[0].ConfigName != "default" {
		t.Fatalf("card configs = %+v, want one default config", h.Configs)
	}
	for _, df := range h.Configs[0].DataFiles {
		matched := 0
		for split := range rows {
			if ok, _ := path.Match(df.Path, "data/"+split+"-00000-of-00001.parquet"); ok && split == df.Split {
				matched++
			}
		}
		if matched != 1 || !strings.HasPrefix(df.Path, "data/") {
			t.Errorf("config data_files %+v match no files of split %s", df, df.Split)
		}
	}
	if len(h.Configs[0].DataFiles) != len(rows) || len(h.DatasetInfo.Splits) != len(rows) {
		t.Errorf("card: %d data_files, %d splits; the folder has %d splits", len(h.Configs[0].DataFiles), len(h.DatasetInfo.Splits), len(rows))
	}
	var size int64
	for _, s := range h.DatasetInfo.Splits {
		if s.NumExamples != int64(len(rows[s.Name])) || s.NumExamples != v.Counts.Of(bigmath.Part(s.Name)) || s.NumBytes <= 0 {
			t.Errorf("card split %+v: the files have %d rows, the version %d", s, len(rows[s.Name]), v.Counts.Of(bigmath.Part(s.Name)))
		}
		size += s.NumBytes
	}
	if h.DatasetInfo.DownloadSize != download || h.DatasetInfo.DatasetSize != size {
		t.Errorf("card sizes: download %d (files %d), dataset %d (splits %d)", h.DatasetInfo.DownloadSize, download, h.DatasetInfo.DatasetSize, size)
	}
	var features []string
	for _, f := range h.DatasetInfo.Features {
		features = append(features, f.Name+":"+f.Dtype)
	}
	want := []string{"id:string", "source:string", "problem:string", "answer:string", "answer_canonical:string", "answer_kind:string",
		"domain:string", "difficulty:float64", "level:string", "split:string"}
	if !slices.Equal(features, want) {
		t.Errorf("card features %v, want %v", features, want)
	}
	if len(h.License) == 0 || len(h.SizeCategories) != 1 || h.PrettyName == "" {
		t.Errorf("card license %v, size_categories %v, pretty_name %q", h.License, h.SizeCategories, h.PrettyName)
	}
	for _, s := range v.Sources {
		if !strings.Contains(body, "| "+s.Name+" | "+s.Revision+" |") {
			t.Errorf("card body lacks source %s at revision %s", s.Name, s.Revision)
		}
	}
	if !strings.Contains(body, "sha256:"+v.ContentHash) || !strings.Contains(body, "## Curation funnel") {
		t.Errorf("card body lacks the version hash or the funnel:\n%s", body)
	}
	return rows
}

func TestExportHubLayout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `INSERT INTO sources (name, role, license, revision) VALUES ('alpha', 'corpus', 'MIT', 'abc123'), ('beta', 'corpus', 'CC BY 4.0', 'def456')`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO problems (id, source_id, source_revision, license, row_key, raw_hash, problem_raw, problem_norm, answer_raw, answer_kind, status, difficulty)
		SELECT 'p' || lpad(i::text, 3, '0'), 1 + i % 2, CASE i % 2 WHEN 0 THEN 'abc123' ELSE 'def456' END, CASE i % 2 WHEN 0 THEN 'MIT' ELSE 'CC BY 4.0' END,
			i::text, '\x00', 'What is ' || i || '?', 'What is ' || i || '?', i::text, 'integer', 'kept', CASE WHEN i % 3 = 0 THEN NULL ELSE i END
		FROM generate_series(1, 200) i`); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewStore(pool)
	if _, err := store.CreateSplit(ctx, bigmath.Split{Name: "s", Seed: 4, Fractions: bigmath.Fractions{Train: 0.8, Validation: 0.1, Test: 0.1}}); err != nil {
		t.Fatal(err)
	}
	v, err := store.GetSplitVersion(ctx, "s", 1)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": url}
	out := filepath.Join(t.TempDir(), "hub")
	code, _, stderr := runCmd(t, ctx, env, "export", "--split", "s", "--version", "1", "--dir", out)
	if code != exitOK || !strings.Contains(stderr, "sha256:"+v.ContentHash) {
		t.Fatalf("export --dir: exit %d, stderr %q", code, stderr)
	}
	rows := checkHubDir(t, out, v)
	if card, err := os.ReadFile(filepath.Join(out, "README.md")); err == nil && testing.Verbose() {
		t.Logf("README.md:\n%s", card)
	}
	var jsonl bytes.Buffer
	w := export.NewWriter(&jsonl, export.FormatJSONL)
	if err := store.ExportSplitVersion(ctx, "s", 1, "", w.WriteFrozen); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if n := len(rows["train"]) + len(rows["validation"]) + len(rows["test"]); n != 200 || strings.Count(jsonl.String(), "\n") != 200 {
		t.Errorf("the Hub files hold %d rows, want 200", n)
	}
	for _, part := range []string{"train", "validation", "test"} {
		for _, r := range rows[part] {
			if !strings.Contains(jsonl.String(), fmt.Sprintf(`{"id":%q,`, r.ID)) {
				t.Errorf("row %s of the Hub files is not in the version's export", r.ID)
			}
		}
	}
	lic, _ := os.ReadFile(filepath.Join(out, "README.md"))
	if !strings.Contains(string(lic), "- cc-by-4.0\n") || !strings.Contains(string(lic), "- mit\n") {
		t.Errorf("card license list lacks cc-by-4.0 and mit:\n%.400s", lic)
	}
	// A second export of the same version gives the same files.
	again := filepath.Join(t.TempDir(), "hub")
	if code, _, stderr := runCmd(t, ctx, env, "export", "--split", "s", "--dir", again); code != exitOK {
		t.Fatalf("second export --dir: exit %d, %s", code, stderr)
	}
	for _, name := range []string{"README.md", "data/train-00000-of-00001.parquet", "data/test-00000-of-00001.parquet"} {
		a, _ := os.ReadFile(filepath.Join(out, name))
		b, _ := os.ReadFile(filepath.Join(again, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two exports of version 1", name)
		}
	}
	if code, _, stderr := runCmd(t, ctx, env, "export", "--split", "s", "--dir", out); code == exitOK || !strings.Contains(stderr, "not empty") {
		t.Errorf("export into a non-empty folder: exit %d, %q", code, stderr)
	}
}
