package ingest

import (
	"context"
	"errors"
)

// fetchHub downloads the files of a Hub source into the cache.
func fetchHub(ctx context.Context, s Spec, opt OpenOptions) ([]dataFile, string, error) {
	return nil, "", errors.New("hub sources: not available yet")
}
