package sign

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/passforge/passforge/internal/zipwrite"
)

// Bundle limits of Apple's .pkpasses format.
const (
	// MaxBundlePasses is the maximum number of passes in a .pkpasses bundle.
	MaxBundlePasses = 10
	// MaxBundleSize is the maximum total size of a .pkpasses bundle's passes.
	MaxBundleSize = 150 << 20
)

// maxBundleEntries bounds the entries ReadBundle reads the directory of:
// the passes and a few folder entries some zip tools add.
const maxBundleEntries = 4 * MaxBundlePasses

// BundlePass is one pass of a .pkpasses bundle.
type BundlePass struct {
	// Name is the file name inside the bundle, ending in ".pkpass". If
	// empty, "pass<N>.pkpass" with N counting from 1.
	Name string
	// Data holds the signed .pkpass bytes.
	Data []byte
}

// WriteBundle streams a .pkpasses bundle (a zip of .pkpass files, served as
// BundleMIMEType) holding passes to w. It refuses more than MaxBundlePasses
// passes or more than MaxBundleSize bytes (ErrBundleLimit), an empty bundle,
// and names that are unsafe, duplicated or do not end in ".pkpass". The
// passes are stored, since they are already compressed.
func WriteBundle(w io.Writer, passes []BundlePass) error {
	if len(passes) == 0 {
		return fmt.Errorf("sign: empty bundle")
	}
	if len(passes) > MaxBundlePasses {
		return fmt.Errorf("%w: %d passes, at most %d", ErrBundleLimit, len(passes), MaxBundlePasses)
	}
	var total int
	seen := map[string]bool{}
	names := make([]string, len(passes))
	for i, p := range passes {
		total += len(p.Data)
		name := p.Name
		if name == "" {
			name = fmt.Sprintf("pass%d.pkpass", i+1)
		}
		if err := checkEntryName(name); err != nil {
			return err
		}
		if !strings.HasSuffix(name, ".pkpass") {
			return fmt.Errorf("sign: bundle entry %q does not end in .pkpass", name)
		}
		if len(p.Data) == 0 {
			return fmt.Errorf("sign: bundle entry %q is empty", name)
		}
		if seen[name] {
			return fmt.Errorf("sign: duplicate bundle entry %q", name)
		}
		seen[name] = true
		names[i] = name
	}
	if total > MaxBundleSize {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrBundleLimit, total, MaxBundleSize)
	}
	zw := zipwrite.NewWriter(w)
	for i, p := range passes {
		if err := zw.Stored(names[i], p.Data); err != nil {
			return fmt.Errorf("sign: writing bundle entry %s: %w", names[i], err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("sign: finishing the bundle: %w", err)
	}
	return nil
}

// ReadBundle reads the passes of a .pkpasses bundle of size bytes from r,
// enforcing the same limits as WriteBundle. It does not verify the passes:
// call Read on each.
func ReadBundle(r io.ReaderAt, size int64) ([]BundlePass, error) {
	if size > MaxBundleSize+1<<20 {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrBundleLimit, size, MaxBundleSize)
	}
	if r == nil {
		return nil, fmt.Errorf("%w: nil reader", ErrArchive)
	}
	zr, err := openZip(r, size, maxBundleEntries)
	if err != nil {
		return nil, fmt.Errorf("%w: bundle: %w", ErrArchive, err)
	}
	var declared uint64
	for _, f := range zr.entries {
		declared += min(f.usize, 1<<62)
	}
	if declared > MaxBundleSize {
		return nil, fmt.Errorf("%w: passes declare %d bytes, at most %d", ErrBundleLimit, declared, MaxBundleSize)
	}
	var out []BundlePass
	for i := range zr.entries {
		f := &zr.entries[i]
		if strings.HasSuffix(f.name, "/") && f.usize == 0 {
			continue
		}
		if err := checkEntryName(f.name); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrArchive, err)
		}
		if !strings.HasSuffix(f.name, ".pkpass") {
			return nil, fmt.Errorf("%w: bundle entry %q is not a .pkpass", ErrArchive, f.name)
		}
		if len(out) == MaxBundlePasses {
			return nil, fmt.Errorf("%w: more than %d passes", ErrBundleLimit, MaxBundlePasses)
		}
		data, err := zr.read(f)
		if err != nil {
			return nil, fmt.Errorf("%w: bundle entry %w", ErrArchive, err)
		}
		out = append(out, BundlePass{Name: f.name, Data: data})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: bundle holds no pass", ErrArchive)
	}
	return out, nil
}

// readExactly reads exactly size bytes from r and checks that nothing
// follows, without ever allocating more than size bytes.
func readExactly(r io.Reader, size uint64) ([]byte, error) {
	buf := make([]byte, size)
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: size differs from its header", ErrLimit)
		}
		return nil, err
	}
	var probe [1]byte
	if n, err := r.Read(probe[:]); n > 0 || (err != nil && err != io.EOF) {
		if n > 0 {
			return nil, fmt.Errorf("%w: size differs from its header", ErrLimit)
		}
		return nil, err
	}
	return buf, nil
}
