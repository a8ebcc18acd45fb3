package export

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/bigmath/bigmath"
)

// The Hugging Face Hub layout of a split version (WriteHub):
//
//	README.md                                  the dataset card: YAML header, then prose
//	data/train-00000-of-00001.parquet          one or more shards per part, flat Row columns
//	data/validation-00000-of-00001.parquet
//	data/test-00000-of-00001.parquet
//
// The card's YAML header has the fields the Hub documents for dataset
// cards: license, pretty_name, size_categories, tags, configs (the default
// config maps each split to its data/<split>-* files) and dataset_info
// (features, and per split num_bytes and num_examples, download_size,
// dataset_size). A part without problems has no files and no entry.

// HubShardRows is the most rows a Parquet shard of a Hub export holds.
const HubShardRows = 100000

// Sink receives the files of a Hub export, by slash-separated name
// relative to the dataset's root.
type Sink interface {
	Create(name string) (io.WriteCloser, error)
}

// PartRows streams the frozen rows of one part of a version, in order.
type PartRows func(part bigmath.Part, fn func(*bigmath.FrozenRow) error) error

// HubFeatures are the features of Row as the card declares them.
var HubFeatures = []HubFeature{
	{"id", "string"}, {"source", "string"}, {"problem", "string"}, {"answer", "string"},
	{"answer_canonical", "string"}, {"answer_kind", "string"}, {"domain", "string"},
	{"difficulty", "float64"}, {"level", "string"}, {"split", "string"},
}

// HubFeature is one column of a card's dataset_info.features.
type HubFeature struct {
	Name  string `yaml:"name"`
	Dtype string `yaml:"dtype"`
}

// HubSplit is one split of a card's dataset_info.splits. NumBytes is the
// size of the split's values (the bytes of its strings, 8 per number).
type HubSplit struct {
	Name        string `yaml:"name"`
	NumBytes    int64  `yaml:"num_bytes"`
	NumExamples int64  `yaml:"num_examples"`
}

// HubDataFile maps a split to its files in a card's configs.
type HubDataFile struct {
	Split string `yaml:"split"`
	Path  string `yaml:"path"`
}

// HubConfig is one entry of a card's configs.
type HubConfig struct {
	ConfigName string        `yaml:"config_name"`
	DataFiles  []HubDataFile `yaml:"data_files"`
}

// HubDatasetInfo is a card's dataset_info.
type HubDatasetInfo struct {
	Features     []HubFeature `yaml:"features"`
	Splits       []HubSplit   `yaml:"splits"`
	DownloadSize int64        `yaml:"download_size"`
	DatasetSize  int64        `yaml:"dataset_size"`
}

// HubCardHeader is the YAML header of the dataset card.
type HubCardHeader struct {
	License        []string       `yaml:"license"`
	PrettyName     string         `yaml:"pretty_name"`
	SizeCategories []string       `yaml:"size_categories"`
	TaskCategories []string       `yaml:"task_categories"`
	Tags           []string       `yaml:"tags"`
	Configs        []HubConfig    `yaml:"configs"`
	DatasetInfo    HubDatasetInfo `yaml:"dataset_info"`
}

// WriteHub writes version v in the Hub layout to sink, reading each part's
// rows from rows. The output depends only on v and its rows.
func WriteHub(sink Sink, v bigmath.SplitVersion, rows PartRows) error {
	h := HubCardHeader{
		License: HubLicenses(v.Sources), PrettyName: fmt.Sprintf("%s (version %d)", v.Split, v.Version),
		SizeCategories: []string{sizeCategory(v.Counts.Total())}, TaskCategories: []string{"text-generation"},
		Tags:        []string{"math", "reasoning", "bigmath"},
		DatasetInfo: HubDatasetInfo{Features: HubFeatures, Splits: []HubSplit{}},
	}
	cfg := HubConfig{ConfigName: "default"}
	for _, part := range bigmath.Parts {
		n := v.Counts.Of(part)
		if n == 0 {
			continue
		}
		s, size, err := writeShards(sink, part, n, rows)
		if err != nil {
			return err
		}
		h.DatasetInfo.Splits = append(h.DatasetInfo.Splits, s)
		h.DatasetInfo.DownloadSize += size
		h.DatasetInfo.DatasetSize += s.NumBytes
		cfg.DataFiles = append(cfg.DataFiles, HubDataFile{Split: string(part), Path: "data/" + string(part) + "-*"})
	}
	h.Configs = []HubConfig{cfg}
	card, err := HubCard(h, v)
	if err != nil {
		return err
	}
	w, err := sink.Create("README.md")
	if err != nil {
		return err
	}
	if _, err := w.Write(card); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// writeShards writes the n rows of part as ceil(n/HubShardRows) shards and
// returns the part's split entry and the bytes of its files.
func writeShards(sink Sink, part bigmath.Part, n int64, rows PartRows) (HubSplit, int64, error) {
	shards := (n + HubShardRows - 1) / HubShardRows
	s := HubSplit{Name: string(part)}
	var (
		file  io.WriteCloser
		cw    *countingWriter
		pw    *Writer
		size  int64
		shard int64
	)
	closeShard := func() error {
		if pw == nil {
			return nil
		}
		if err := pw.Close(); err != nil {
			return err
		}
		size += cw.n
		pw = nil
		return file.Close()
	}
	err := rows(part, func(r *bigmath.FrozenRow) error {
		if pw == nil || pw.Rows() == HubShardRows {
			if err := closeShard(); err != nil {
				return err
			}
			f, err := sink.Create(fmt.Sprintf("data/%s-%05d-of-%05d.parquet", part, shard, shards))
			if err != nil {
				return err
			}
			shard++
			file, cw = f, &countingWriter{w: f}
			pw = NewWriter(cw, FormatParquet)
		}
		s.NumExamples++
		s.NumBytes += rowBytes(r)
		return pw.WriteFrozen(r)
	})
	if err == nil {
		err = closeShard()
	} else if file != nil {
		file.Close()
	}
	if err == nil && (s.NumExamples != n || shard != shards) {
		err = fmt.Errorf("hub export: part %s has %d rows in %d shards, the version says %d", part, s.NumExamples, shard, n)
	}
	return s, size, err
}

// rowBytes is the size of a row's values: its strings, 8 per number.
func rowBytes(r *bigmath.FrozenRow) int64 {
	n := int64(len(r.ID) + len(r.Source) + len(r.Problem) + len(r.Answer) + len(r.AnswerCanonical) +
		len(r.AnswerKind) + len(r.Domain) + len(r.Level) + len(r.Part))
	if r.Difficulty != nil {
		n += 8
	}
	return n
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// sizeCategory is the Hub's size_categories value for n examples.
func sizeCategory(n int64) string {
	switch {
	case n < 1000:
		return "n<1K"
	case n < 10000:
		return "1K<n<10K"
	case n < 100000:
		return "10K<n<100K"
	case n < 1000000:
		return "100K<n<1M"
	case n < 10000000:
		return "1M<n<10M"
	}
	return "10M<n<100M"
}

// hubLicenseIDs maps the licence names source specs use to the Hub's
// licence identifiers.
var hubLicenseIDs = map[string]string{
	"mit": "mit", "apache 2.0": "apache-2.0", "apache-2.0": "apache-2.0",
	"cc by 4.0": "cc-by-4.0", "cc-by-4.0": "cc-by-4.0", "cc by-sa 4.0": "cc-by-sa-4.0", "cc-by-sa-4.0": "cc-by-sa-4.0",
	"cc by-nc 4.0": "cc-by-nc-4.0", "cc-by-nc-4.0": "cc-by-nc-4.0", "cc0-1.0": "cc0-1.0", "cc0 1.0": "cc0-1.0",
	"bsd-3-clause": "bsd-3-clause", "odc-by": "odc-by",
}

// HubLicenses returns the Hub licence identifiers of the sources, sorted,
// each once; a licence the Hub does not name (or none) is "other", and the
// card's sources table gives it verbatim.
func HubLicenses(sources []bigmath.VersionSource) []string {
	var out []string
	for _, s := range sources {
		for _, l := range strings.Split(s.License, ", ") {
			id, ok := hubLicenseIDs[strings.ToLower(strings.TrimSpace(l))]
			if !ok {
				id = "other"
			}
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	if len(out) == 0 {
		out = []string{"other"}
	}
	slices.Sort(out)
	return out
}

// HubCard returns the dataset card: the YAML header h between --- lines,
// then the version's description, sources with their revisions, the
// curation funnel when the version was frozen and the content hash.
func HubCard(h HubCardHeader, v bigmath.SplitVersion) ([]byte, error) {
	var b bytes.Buffer
	head, err := yaml.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("hub card: %w", err)
	}
	b.WriteString("---\n")
	b.Write(head)
	b.WriteString("---\n\n")
	fmt.Fprintf(&b, "# %s\n\n", h.PrettyName)
	fmt.Fprintf(&b, "Version %d of the bigmath split `%s`, frozen on %s (row format %d). ", v.Version, v.Split,
		v.CreatedAt.UTC().Format(time.RFC3339), v.FormatVersion)
	fmt.Fprintf(&b, "Content hash: `sha256:%s` (the sha256 of the version's JSON Lines export, all parts in order).\n\n", v.ContentHash)
	fmt.Fprintf(&b, "Seed %d; fractions train %g, validation %g, test %g. A problem's part is a function of its id and the seed, so it keeps its part in every version.\n\n",
		v.Seed, v.Fractions.Train, v.Fractions.Validation, v.Fractions.Test)
	fmt.Fprintf(&b, "| split | examples |\n|---|---|\n| train | %d |\n| validation | %d |\n| test | %d |\n\n", v.Counts.Train, v.Counts.Validation, v.Counts.Test)
	b.WriteString("## Sources\n\n| source | revision | license | examples |\n|---|---|---|---|\n")
	for _, s := range v.Sources {
		fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", cell(s.Name), cell(s.Revision), cell(s.License), s.Rows)
	}
	b.WriteString("\n## Curation funnel\n\nThe whole corpus when the version was frozen: rows stored per source, kept (passed every stage, canonical copy, no benchmark overlap), duplicates and dropped by reason.\n\n")
	b.WriteString("| source | role | rows | kept | duplicates | dropped |\n|---|---|---|---|---|---|\n")
	for _, s := range v.Funnel.Sources {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %s |\n", cell(s.Name), s.Role, s.Rows, s.Kept, s.Duplicates, droppedCell(s.Dropped))
	}
	fmt.Fprintf(&b, "\nTotal: %d rows, %d kept.\n", v.Funnel.Total.Rows, v.Funnel.Total.Kept)
	return b.Bytes(), nil
}

func droppedCell(m map[string]int64) string {
	var parts []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "-"
	}
	return cell(strings.Join(parts, ", "))
}

// cell makes s safe in a Markdown table cell.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// DirSink writes the files under a folder.
type DirSink struct{ Dir string }

// Create implements Sink.
func (d DirSink) Create(name string) (io.WriteCloser, error) {
	p := path.Join(d.Dir, name)
	if err := os.MkdirAll(path.Dir(p), 0o755); err != nil {
		return nil, err
	}
	return os.Create(p)
}

// TarSink writes the files to a tar stream, each under Prefix, with the
// modification time ModTime (so that the stream depends only on the
// files). A file is buffered in a temporary file until it is closed (a
// tar header holds the size).
type TarSink struct {
	W       *tar.Writer
	Prefix  string
	ModTime time.Time
}

// Create implements Sink.
func (t TarSink) Create(name string) (io.WriteCloser, error) {
	f, err := os.CreateTemp("", "bigmath-hub-*")
	if err != nil {
		return nil, err
	}
	return &tarFile{t: t, name: path.Join(t.Prefix, name), f: f}, nil
}

type tarFile struct {
	t    TarSink
	name string
	f    *os.File
}

func (tf *tarFile) Write(p []byte) (int, error) { return tf.f.Write(p) }

func (tf *tarFile) Close() error {
	defer os.Remove(tf.f.Name())
	defer tf.f.Close()
	size, err := tf.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := tf.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	hdr := &tar.Header{Name: tf.name, Mode: 0o644, Size: size, ModTime: tf.t.ModTime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tf.t.W.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tf.t.W, tf.f)
	return err
}
