package api

import "github.com/bigmath/bigmath"

// The queries and bodies of the corpus routes, with their binding rules
// (checked by requestValidator; bindQuery and decodeStrict decode them).

// filterParams are the fields of bigmath.ProblemFilter as a client sends
// them: the query parameters of GET /v1/problems, and the "filter" object
// of POST /v1/splits (where a list may also be one string).
type filterParams struct {
	Source              stringList `form:"source" json:"source" collection_format:"csv"`
	Domain              stringList `form:"domain" json:"domain" collection_format:"csv"`
	Kind                stringList `form:"kind" json:"kind" collection_format:"csv"`
	MinDifficulty       *float64   `form:"min_difficulty" json:"min_difficulty" binding:"omitempty,finite"`
	MaxDifficulty       *float64   `form:"max_difficulty" json:"max_difficulty" binding:"omitempty,finite"`
	MinPassRate         *float64   `form:"min_pass_rate" json:"min_pass_rate" binding:"omitempty,finite,gte=0,lte=1"`
	MaxPassRate         *float64   `form:"max_pass_rate" json:"max_pass_rate" binding:"omitempty,finite,gte=0,lte=1"`
	Status              string     `form:"status" json:"status" binding:"omitempty,oneof=kept dropped pending all"`
	IncludeContaminated bool       `form:"include_contaminated" json:"include_contaminated"`
	Q                   string     `form:"q" json:"q" binding:"max=500"`
	Derived             string     `form:"derived" json:"derived" binding:"omitempty,oneof=include exclude only"`
}

func (f filterParams) filter() bigmath.ProblemFilter {
	return bigmath.ProblemFilter{
		Sources: f.Source, Domains: f.Domain, Kinds: f.Kind,
		MinDifficulty: f.MinDifficulty, MaxDifficulty: f.MaxDifficulty,
		MinPassRate: f.MinPassRate, MaxPassRate: f.MaxPassRate,
		Status: f.Status, IncludeContaminated: f.IncludeContaminated, Q: f.Q, Derived: f.Derived,
	}
}

// problemsQuery is the query of GET /v1/problems: the filter, then the
// page.
type problemsQuery struct {
	filterParams
	Limit  int    `form:"limit" binding:"min=1,max=1000"`
	Cursor string `form:"cursor" binding:"max=200"`
}

// exportQuery is the query of GET /v1/splits/{name}/export.
type exportQuery struct {
	Format string `form:"format" binding:"omitempty,oneof=jsonl parquet verl"`
	Part   string `form:"part" binding:"omitempty,oneof=train validation test"`
}

// fractionsBody is the partition of a split; omitted fractions are 0.
type fractionsBody struct {
	Train      float64 `json:"train" binding:"gte=0,lte=1"`
	Validation float64 `json:"validation" binding:"gte=0,lte=1"`
	Test       float64 `json:"test" binding:"gte=0,lte=1"`
}

// splitRequest is the body of POST /v1/splits.
type splitRequest struct {
	Name      string         `json:"name" binding:"required,max=64"`
	Filter    filterParams   `json:"filter"`
	Seed      int64          `json:"seed"`
	Fractions *fractionsBody `json:"fractions" binding:"required"`
	Stratify  string         `json:"stratify" binding:"omitempty,oneof=source difficulty"`
}
