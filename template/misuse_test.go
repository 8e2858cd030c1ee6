package template

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNilAndZeroTemplate checks that a nil or zero-value Template, and nil
// readers and sinks, give errors or empty answers instead of panicking.
func TestNilAndZeroTemplate(t *testing.T) {
	for name, tp := range map[string]*Template{"nil": nil, "zero": {}} {
		t.Run(name, func(t *testing.T) {
			assert.Empty(t, tp.PassTypeIdentifier())
			assert.Empty(t, tp.TeamIdentifier())
			assert.Empty(t, tp.Placeholders())
			assert.Empty(t, tp.FieldKeys())
			assert.Empty(t, tp.Files())
			assert.Empty(t, tp.Warnings())
			_, err := tp.FieldValue("balance", "1")
			require.ErrorIs(t, err, errNotMade)
			_, _, err = tp.Build(member("Z-1", "Zed"))
			require.ErrorIs(t, err, errNotMade)
			require.ErrorIs(t, tp.Issue(io.Discard, member("Z-1", "Zed"), devID().Identity, nil), errNotMade)
			_, err = tp.IssueBytes(member("Z-1", "Zed"), devID().Identity, nil)
			require.ErrorIs(t, err, errNotMade)
			_, err = tp.Bulk(context.Background(), FromSlice(nil), devID().Identity, &CountSink{}, nil)
			require.ErrorIs(t, err, errNotMade)
			_, err = NewCSVReader(strings.NewReader("serialNumber\n1\n"), tp, nil)
			require.ErrorIs(t, err, errNotMade)
			assert.EqualError(t, errNotMade, "template: the Template was not made by New, Load, LoadPkpass or Open")
		})
	}
	t.Run("nil readers", func(t *testing.T) {
		_, err := NewCSVReader(nil, loadDesign(t), nil)
		require.EqualError(t, err, "template: csv: nil reader")
		n := 0
		for v, err := range ReadJSONL(nil, nil) {
			n++
			assert.Nil(t, v)
			require.EqualError(t, err, "template: jsonl: nil reader")
		}
		assert.Equal(t, 1, n)
	})
	t.Run("zero ZipSink", func(t *testing.T) {
		s := &ZipSink{}
		require.ErrorIs(t, s.Put(context.Background(), "a.pkpass", []byte("x")), errZipSinkNotMade)
		require.ErrorIs(t, s.Close(), errZipSinkNotMade)
		var buf bytes.Buffer
		made := NewZipSink(&buf)
		require.NoError(t, made.Put(context.Background(), "a.pkpass", []byte("x")))
		require.NoError(t, made.Close())
		assert.NotZero(t, buf.Len())
	})
}

// TestDirSinkRefusesPaths checks that DirSink.Put only writes file names
// inside Dir: a path could otherwise write anywhere.
func TestDirSinkRefusesPaths(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	require.NoError(t, os.Mkdir(dir, 0o755))
	s := &DirSink{Dir: dir}
	for _, name := range []string{"", ".", "..", "../escape.pkpass", "sub/x.pkpass", `..\x.pkpass`, "/abs.pkpass"} {
		t.Run(name, func(t *testing.T) {
			err := s.Put(context.Background(), name, []byte("x"))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "is not a file name")
		})
	}
	assert.NoFileExists(t, filepath.Join(parent, "escape.pkpass"))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries)
	require.NoError(t, s.Put(context.Background(), "ok.pkpass", []byte("x")))
	assert.FileExists(t, filepath.Join(dir, "ok.pkpass"))

	var buf bytes.Buffer
	zs := NewZipSink(&buf)
	err = zs.Put(context.Background(), "../escape.pkpass", []byte("x"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not a file name")
	require.NoError(t, zs.Close())
}
