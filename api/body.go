package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
)

// requestError is a 4xx answer: its status, code, message and the field at
// fault ("" when it is the body as a whole).
type requestError struct {
	status  int
	code    string
	message string
	field   string
}

func (e *requestError) Error() string { return e.message }

func badRequest(field, format string, args ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, code: "invalid_request", message: fmt.Sprintf(format, args...), field: field}
}

// respondError writes err: a *requestError as itself, anything else as 500.
func respondError(c *gin.Context, err error) {
	var re *requestError
	if errors.As(err, &re) {
		writeError(c, re.status, re.code, re.message, re.field)
		return
	}
	writeError(c, http.StatusInternalServerError, "internal", "internal error", "")
}

// readBody reads the whole request body. A body over the limit is a 413.
func readBody(c *gin.Context) ([]byte, error) {
	if c.Request.Body == nil {
		return nil, nil
	}
	var b []byte
	var err error
	if n := c.Request.ContentLength; n > 0 {
		// The body limit has already refused an announced length over it.
		b = make([]byte, n)
		var got int
		got, err = io.ReadFull(c.Request.Body, b)
		b = b[:got]
		if err == nil {
			// A body longer than announced is cut by net/http; nothing to read.
		} else if errors.Is(err, io.ErrUnexpectedEOF) {
			err = nil
		}
	} else {
		b, err = io.ReadAll(c.Request.Body)
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &requestError{status: http.StatusRequestEntityTooLarge, code: "body_too_large",
				message: fmt.Sprintf("request body is larger than the limit of %d bytes (BIGMATH_BODY_LIMIT)", mbe.Limit)}
		}
		return nil, &requestError{status: http.StatusBadRequest, code: "invalid_request", message: "read request body: " + err.Error()}
	}
	return b, nil
}

// decodeJSON reads the body and decodes it into dst (a pointer to a
// struct). Errors are 4xx *requestError values: malformed JSON names the
// line, column and byte offset; a value of the wrong type names the field.
func decodeJSON(c *gin.Context, dst any) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	return unmarshalBody(b, dst)
}

func unmarshalBody(b []byte, dst any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return &requestError{status: http.StatusBadRequest, code: "invalid_json", message: "request body is empty: want a JSON object"}
	}
	err := json.Unmarshal(b, dst)
	if err == nil {
		return nil
	}
	return jsonError(b, err, "")
}

// jsonError turns an encoding/json error on data into a *requestError.
// prefix is prepended to field names (such as "items[3].").
func jsonError(data []byte, err error, prefix string) *requestError {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		if se.Offset >= int64(len(data)) {
			line, col := position(data, int64(len(data)))
			return &requestError{status: http.StatusBadRequest, code: "invalid_json",
				message: fmt.Sprintf("malformed JSON: the body ends early, at line %d, column %d (byte offset %d)", line, col, len(data))}
		}
		// Offset counts the bytes read, the offending one included.
		off := max(se.Offset-1, 0)
		line, col := position(data, off)
		return &requestError{status: http.StatusBadRequest, code: "invalid_json",
			message: fmt.Sprintf("malformed JSON at line %d, column %d (byte offset %d): %s", line, col, off, se.Error())}
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(data, int64(len(data)))
		return &requestError{status: http.StatusBadRequest, code: "invalid_json",
			message: fmt.Sprintf("malformed JSON: the body ends early at line %d, column %d (byte %d)", line, col, len(data))}
	case errors.As(err, &te):
		if te.Field == "" {
			return &requestError{status: http.StatusBadRequest, code: "invalid_json",
				message: fmt.Sprintf("the body must be a JSON object, not %s", article(te.Value))}
		}
		field := prefix + te.Field
		return &requestError{status: http.StatusBadRequest, code: "invalid_type", field: field,
			message: fmt.Sprintf("%s: want %s, got %s", field, typeName(te.Type), article(te.Value))}
	}
	return &requestError{status: http.StatusBadRequest, code: "invalid_json", message: "invalid JSON: " + err.Error()}
}

// position returns the 1-based line and column of byte offset off.
func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col = 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func article(v string) string {
	switch v {
	case "array", "object", "integer":
		return "an " + v
	case "number", "string":
		return "a " + v
	case "bool":
		return "a boolean"
	}
	return v
}

// typeName names a Go type in JSON terms.
func typeName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t {
	case reflect.TypeFor[flexString]():
		return "a string or a number"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

// flexString is a JSON string or number (kept as written: gold answers and
// labels are often numbers). null is the empty string, absent is unset.
type flexString struct {
	s   string
	set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		if err := json.Unmarshal(b, &f.s); err != nil {
			return err
		}
		f.set = true
		return nil
	case 'n':
		f.s, f.set = "", true
		return nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		f.s, f.set = string(b), true
		return nil
	}
	v := "object"
	switch b[0] {
	case '[':
		v = "array"
	case 't', 'f':
		v = "bool"
	}
	return &json.UnmarshalTypeError{Value: v, Type: reflect.TypeFor[flexString](), Offset: 0}
}

// stringOf decodes one JSON value that should be a string (or a number,
// when numbers is true); ok=false says it is neither, with the JSON type
// found.
func stringOf(raw json.RawMessage, numbers bool) (s string, got string, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", "nothing", false
	}
	switch raw[0] {
	case '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", "a malformed string", false
		}
		return s, "", true
	case 'n':
		return "", "null", false
	case '[':
		return "", "an array", false
	case '{':
		return "", "an object", false
	case 't', 'f':
		return "", "a boolean", false
	}
	// The body was valid JSON, so what is left is a number.
	if numbers {
		return string(raw), "", true
	}
	return "", "a number", false
}

// stringList is a JSON list of strings that also accepts one string.
type stringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = stringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: typeOfStringList}
	}
	*l = many
	return nil
}

var typeOfStringList = reflect.TypeOf([]string{})

// jsonKind names the kind of a JSON value for error messages.
func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// decodeStrict decodes a JSON object body into dst, rejecting unknown
// fields (a typo in a filter would silently widen a split) and trailing
// data, then checks dst's binding tags. Errors are 4xx *requestError values
// naming the field.
func decodeStrict(c *gin.Context, dst any) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return &requestError{status: http.StatusBadRequest, code: "invalid_json", message: "request body is empty: want a JSON object"}
	}
	if bytes.TrimSpace(b)[0] != '{' {
		return &requestError{status: http.StatusBadRequest, code: "invalid_json", message: "the body must be a JSON object, not " + jsonKind(b)}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			name = strings.Trim(name, `"`)
			if name == "" {
				return &requestError{status: http.StatusBadRequest, code: "invalid_json", message: `a field with an empty name ("")`}
			}
			return badRequest(name, "unknown field %q", name)
		}
		return jsonError(b, err, "")
	}
	if _, err := dec.Token(); err != io.EOF {
		return &requestError{status: http.StatusBadRequest, code: "invalid_json", message: "malformed JSON: data after the object"}
	}
	if err := requestValidator.Struct(dst); err != nil {
		return validationError(err, "body")
	}
	return nil
}
