package ingest

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Lookup returns the value at a field path of the row (see LookupField).
func (r Row) Lookup(field string) (any, bool) { return LookupField(r.Fields, field) }

// Text returns the value at a field path as text (see FieldText).
func (r Row) Text(field string) (string, bool) { return FieldText(r.Fields, field) }

// LookupField returns the value at field in fields. field is a column name or
// a dotted path into nested values: "reward_model.ground_truth" is key
// ground_truth of the object in column reward_model; "prompt.0.content" is key
// content of element 0 of the list in column prompt. At each step a key that
// contains dots itself is tried first (so a column literally named "a.b" is
// found), then the shortest dotted prefix. ok is false when field is empty or
// the path does not exist; a JSON null that exists gives (nil, true).
func LookupField(fields map[string]any, field string) (any, bool) {
	if field == "" || fields == nil {
		return nil, false
	}
	return lookupIn(fields, field)
}

func lookupIn(v any, field string) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		if e, ok := x[field]; ok {
			return e, true
		}
		// Try each split point, shortest head first.
		for i := 0; i < len(field); i++ {
			if field[i] != '.' {
				continue
			}
			head, rest := field[:i], field[i+1:]
			if e, ok := x[head]; ok {
				if got, ok := lookupIn(e, rest); ok {
					return got, true
				}
			}
		}
	case []any:
		head, rest, more := strings.Cut(field, ".")
		i, err := strconv.Atoi(head)
		if err != nil || i < 0 || i >= len(x) {
			return nil, false
		}
		if !more {
			return x[i], true
		}
		return lookupIn(x[i], rest)
	}
	return nil, false
}

// FieldText returns the value at field as text: a string as is, a number in
// its JSON spelling ("142.0" stays "142.0"), a boolean as true/false, and a
// list or object as compact JSON. ok is false when the path does not exist or
// holds null.
func FieldText(fields map[string]any, field string) (string, bool) {
	v, ok := LookupField(fields, field)
	if !ok || v == nil {
		return "", false
	}
	return textOfValue(v)
}

func textOfValue(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	default:
		b, err := canonicalJSON(x)
		if err != nil {
			return "", false
		}
		return string(b), true
	}
}

// keyOf returns the row key from the id field, when mapped and present.
func keyOf(fields map[string]any, idField string) (string, bool) {
	if idField == "" {
		return "", false
	}
	s, ok := FieldText(fields, idField)
	if !ok || s == "" {
		return "", false
	}
	return s, true
}
