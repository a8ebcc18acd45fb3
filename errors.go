package bigmath

import (
	"errors"
	"fmt"
)

// Sentinel errors shared by every layer. Compare with errors.Is.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write collides with existing state (a unique name, say).
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: a dependency (the database) cannot be reached now.
	ErrUnavailable = errors.New("unavailable")
)

// ValidationError reports bad input: which field, and what is wrong with it.
type ValidationError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Reason)
}
