// Package migrations holds the numbered SQL migrations of the bigmath schema,
// embedded in the binary. The postgres package applies them in order (see
// postgres.Migrate). An applied migration is never edited: a change is a new
// file with the next number.
package migrations

import "embed"

// FS holds the migration files, named NNN_description.sql.
//
//go:embed *.sql
var FS embed.FS
