package sign

import (
	"io"

	"github.com/passforge/passforge/internal/zipwrite"
)

// dosDate is the MS-DOS date of every entry, so that the same input gives
// the same bytes: 1980-01-01 (the MS-DOS epoch), time 00:00.
const dosDate = zipwrite.DOSDate

// Sizes of the zip records, for the reader.
const (
	zipLocalHeaderLen   = 30
	zipCentralHeaderLen = 46
	zipEndLen           = 22
)

// writeZip writes entries, in the order given, as a zip archive to w,
// copying their prepared bytes with the one zip writer of passforge
// (internal/zipwrite): every entry dated 1980-01-01 with mode 0644.
func writeZip(w io.Writer, entries []*Entry) error {
	zw := zipwrite.NewWriter(w)
	for _, e := range entries {
		if err := zw.Raw(e.Name, e.Method, e.CRC32, e.Size, e.Data); err != nil {
			return err
		}
	}
	return zw.Close()
}
