package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// encodingVersion is the first byte of an encoded Fingerprint. A new layout
// gets a new version; Decode keeps reading the old ones.
const encodingVersion = 1

// ErrBadEncoding is returned (wrapped, with the detail) by Hasher.Decode for
// bytes that are not an encoded Fingerprint.
var ErrBadEncoding = errors.New("bad fingerprint encoding")

// AppendBinary appends a compact encoding of fp to dst and returns it, for a
// bytea column: version, Exact, Content, AuxNumbers, then the shingle and
// figure sets as counts and little-endian uint32 values. Bands are not
// stored; Decode recomputes them from the shingles. Blocks and Numbers are
// not stored either: they come from the text (Hasher.Fingerprint), which
// the explained comparison needs anyway. The size is
// 34 + 4*(len(Shingles)+len(Aux)) bytes at most.
func (fp Fingerprint) AppendBinary(dst []byte) []byte {
	dst = append(dst, encodingVersion)
	dst = append(dst, fp.Exact[:]...)
	dst = binary.LittleEndian.AppendUint32(dst, fp.Content)
	dst = binary.LittleEndian.AppendUint32(dst, fp.AuxNumbers)
	dst = binary.AppendUvarint(dst, uint64(len(fp.Shingles)))
	for _, s := range fp.Shingles {
		dst = binary.LittleEndian.AppendUint32(dst, s)
	}
	dst = binary.AppendUvarint(dst, uint64(len(fp.Aux)))
	for _, s := range fp.Aux {
		dst = binary.LittleEndian.AppendUint32(dst, s)
	}
	return dst
}

// Decode reads a Fingerprint written by AppendBinary and recomputes its
// Bands. It returns an error wrapping ErrBadEncoding when b is truncated,
// has trailing bytes, an unknown version, or sets that are not sorted
// without repeats.
func (h *Hasher) Decode(b []byte) (Fingerprint, error) {
	var fp Fingerprint
	if len(b) < 1+16+8 {
		return fp, fmt.Errorf("%w: %d bytes, want at least 25", ErrBadEncoding, len(b))
	}
	if b[0] != encodingVersion {
		return fp, fmt.Errorf("%w: version %d", ErrBadEncoding, b[0])
	}
	copy(fp.Exact[:], b[1:17])
	fp.Content = binary.LittleEndian.Uint32(b[17:])
	fp.AuxNumbers = binary.LittleEndian.Uint32(b[21:])
	rest := b[25:]
	var err error
	if fp.Shingles, rest, err = decodeSet(rest, "shingles"); err != nil {
		return Fingerprint{}, err
	}
	if fp.Aux, rest, err = decodeSet(rest, "aux"); err != nil {
		return Fingerprint{}, err
	}
	if len(rest) != 0 {
		return Fingerprint{}, fmt.Errorf("%w: %d trailing bytes", ErrBadEncoding, len(rest))
	}
	if len(fp.Aux) > auxSample {
		return Fingerprint{}, fmt.Errorf("%w: %d aux values, at most %d", ErrBadEncoding, len(fp.Aux), auxSample)
	}
	fp.Bands = h.Bands(fp.Shingles)
	return fp, nil
}

// decodeSet reads a count and that many sorted, distinct uint32 values.
func decodeSet(b []byte, name string) ([]uint32, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return nil, nil, fmt.Errorf("%w: %s count", ErrBadEncoding, name)
	}
	b = b[k:]
	if n > uint64(len(b)/4) {
		return nil, nil, fmt.Errorf("%w: %d %s for %d bytes", ErrBadEncoding, n, name, len(b))
	}
	if n == 0 {
		return nil, b, nil
	}
	set := make([]uint32, n)
	for i := range set {
		set[i] = binary.LittleEndian.Uint32(b[4*i:])
		if i > 0 && set[i] <= set[i-1] {
			return nil, nil, fmt.Errorf("%w: %s not sorted without repeats", ErrBadEncoding, name)
		}
	}
	return set, b[4*n:], nil
}
