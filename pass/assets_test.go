package pass

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n-test")

func TestAssetsZeroValue(t *testing.T) {
	var a Assets
	assert.Equal(t, 0, a.Len())
	assert.Empty(t, a.Names())
	_, ok := a.Get("icon.png")
	assert.False(t, ok)
	a.Delete("icon.png")
	require.NoError(t, a.Set("icon.png", pngBytes))
	assert.Equal(t, 1, a.Len())

	var nilAssets *Assets
	assert.Equal(t, 0, nilAssets.Len())
	assert.Nil(t, nilAssets.Names())
	assert.Equal(t, 0, nilAssets.Clone().Len())
}

func TestAssetsSetNames(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"icon.png", true},
		{"strip@2x.png", true},
		{"fr.lproj/pass.strings", true},
		{"zh-Hans.lproj/logo@3x.png", true},
		{"personalization.json", true},
		{"", false},
		{".", false},
		{"/icon.png", false},
		{"../icon.png", false},
		{"fr.lproj/../icon.png", false},
		{"./icon.png", false},
		{"fr.lproj//icon.png", false},
		{"fr.lproj/", false},
		{`fr.lproj\icon.png`, false},
		{"icon\x00.png", false},
		{"pass.json", false},
		{"manifest.json", false},
		{"signature", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Assets
			err := a.Set(tt.name, pngBytes)
			if tt.ok {
				require.NoError(t, err)
				got, ok := a.Get(tt.name)
				assert.True(t, ok)
				assert.Equal(t, pngBytes, got)
				return
			}
			require.ErrorIs(t, err, ErrInvalidAssetName)
			assert.True(t, strings.HasPrefix(err.Error(), "pass: invalid asset name"), err.Error())
			assert.Equal(t, 0, a.Len())
		})
	}
}

func TestAssetsOperations(t *testing.T) {
	var a Assets
	require.NoError(t, a.Set("strip.png", []byte("123")))
	require.NoError(t, a.Set("icon.png", []byte("12345")))
	require.NoError(t, a.Set("en.lproj/pass.strings", []byte("1")))
	assert.Equal(t, []string{"en.lproj/pass.strings", "icon.png", "strip.png"}, a.Names())
	assert.Equal(t, int64(9), a.Size())

	require.NoError(t, a.Set("icon.png", []byte("1")), "replacing a file")
	assert.Equal(t, 3, a.Len())
	assert.Equal(t, int64(5), a.Size())

	c := a.Clone()
	c.Delete("strip.png")
	require.NoError(t, c.Set("logo.png", []byte("x")))
	assert.Equal(t, []string{"en.lproj/pass.strings", "icon.png", "strip.png"}, a.Names(), "the original is unchanged")
	assert.Equal(t, []string{"en.lproj/pass.strings", "icon.png", "logo.png"}, c.Names())

	a.Delete("icon.png")
	a.Delete("missing.png")
	assert.Equal(t, 2, a.Len())
	assert.Equal(t, int64(4), a.Size())

	err := a.Set("huge.png", make([]byte, MaxAssetFileSize+1))
	require.ErrorIs(t, err, ErrTooLarge)
}

func TestAssetsFileCountLimit(t *testing.T) {
	var a Assets
	for i := range MaxAssetFiles {
		require.NoError(t, a.Set("f"+itoa(i), nil))
	}
	require.ErrorIs(t, a.Set("one-more", nil), ErrTooLarge)
	require.NoError(t, a.Set("f0", []byte("x")), "replacing stays allowed")
}

func TestAssetsImages(t *testing.T) {
	var a Assets
	require.NoError(t, a.SetImage(ImageIcon, 1, []byte("i1")))
	require.NoError(t, a.SetImage(ImageStrip, 2, []byte("s2")))
	require.NoError(t, a.SetImage(ImagePersonalizationLogo, 3, []byte("p3")))
	require.NoError(t, a.SetLocalizedImage("fr", ImageLogo, 2, []byte("fr-logo")))
	require.NoError(t, a.SetLocalizedImage("zh-Hans", ImageLogo, 1, []byte("zh-logo")))
	assert.Equal(t, []string{"fr.lproj/logo@2x.png", "icon.png", "personalizationLogo@3x.png", "strip@2x.png", "zh-Hans.lproj/logo.png"}, a.Names())

	got, ok := a.Image(ImageStrip, 2)
	assert.True(t, ok)
	assert.Equal(t, []byte("s2"), got)
	_, ok = a.Image(ImageStrip, 1)
	assert.False(t, ok)
	got, ok = a.LocalizedImage("fr", ImageLogo, 2)
	assert.True(t, ok)
	assert.Equal(t, []byte("fr-logo"), got)
	assert.Equal(t, []string{"fr", "zh-Hans"}, a.Languages())

	bad := []struct {
		name string
		err  error
	}{
		{"scale 0", a.SetImage(ImageIcon, 0, nil)},
		{"scale 4", a.SetImage(ImageIcon, 4, nil)},
		{"role with a path", a.SetImage("../icon", 1, nil)},
		{"role with a scale", a.SetImage("icon@2x", 1, nil)},
		{"empty role", a.SetImage("", 1, nil)},
		{"bad language", a.SetLocalizedImage("../fr", ImageLogo, 1, nil)},
		{"empty language", a.SetLocalizedImage("", ImageLogo, 1, nil)},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			require.Error(t, b.err)
			assert.True(t, strings.HasPrefix(b.err.Error(), "pass: "), b.err.Error())
		})
	}
	assert.Equal(t, 5, a.Len(), "failed calls add nothing")
}

func TestAssetsStrings(t *testing.T) {
	var a Assets
	require.NoError(t, a.SetStrings("en", Strings{"GATE": "Gate", "WELCOME": "Welcome"}))
	require.NoError(t, a.SetStrings("fr", Strings{"GATE": "Porte", "WELCOME": "Bienvenue à bord"}))
	assert.Equal(t, []string{"en", "fr"}, a.Languages())

	raw, ok := a.Get("fr.lproj/pass.strings")
	require.True(t, ok)
	assert.Equal(t, []byte{0xFF, 0xFE}, raw[:2], "non-ASCII strings are UTF-16LE with a BOM")

	fr, err := a.Strings("fr")
	require.NoError(t, err)
	assert.Equal(t, Strings{"GATE": "Porte", "WELCOME": "Bienvenue à bord"}, fr)

	_, err = a.Strings("de")
	require.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), "de.lproj/pass.strings")

	require.NoError(t, a.Set("it.lproj/pass.strings", []byte(`"A" = "B"`)))
	_, err = a.Strings("it")
	require.Error(t, err)
	assert.Equal(t, `pass: it.lproj/pass.strings: pass.strings: line 1: want ; after the entry "A", found the end of the file`, err.Error())

	require.Error(t, a.SetStrings("e/n", Strings{}))
}

func TestAssetsPersonalization(t *testing.T) {
	var a Assets
	_, err := a.Personalization()
	require.ErrorIs(t, err, fs.ErrNotExist)

	p := &Personalization{
		RequiredPersonalizationFields: []PersonalizationField{PersonalizationFieldName, PersonalizationFieldEmailAddress},
		Description:                   "Join our rewards program",
		TermsAndConditions:            "Terms apply.",
	}
	require.NoError(t, a.SetPersonalization(p))
	raw, ok := a.Get(PersonalizationName)
	require.True(t, ok)
	assert.Equal(t, `{"requiredPersonalizationFields":["PKPassPersonalizationFieldName","PKPassPersonalizationFieldEmailAddress"],"description":"Join our rewards program","termsAndConditions":"Terms apply."}`, string(raw))
	got, err := a.Personalization()
	require.NoError(t, err)
	assert.Equal(t, p, got)

	require.NoError(t, a.Set(PersonalizationName, []byte("\xEF\xBB\xBF{\"description\":\"x\",\"future\":1,}")))
	got, err = a.Personalization()
	require.NoError(t, err, "read leniently")
	assert.Equal(t, "x", got.Description)
	assert.Contains(t, got.Extra, "future")

	require.NoError(t, a.Set(PersonalizationName, []byte(`{"description":[]}`)))
	_, err = a.Personalization()
	require.Error(t, err)
	assert.Equal(t, "pass: personalization.json: description: want a string, not an array", err.Error())

	require.NoError(t, a.SetPersonalization(nil))
	assert.Equal(t, 0, a.Len())
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"pass.json":                 {Data: obj(`"storeCard":{"primaryFields":[{"key":"k","value":1,}]},`)},
		"icon.png":                  {Data: []byte("icon")},
		"icon@2x.png":               {Data: []byte("icon2")},
		"fr.lproj/pass.strings":     {Data: []byte(`"k" = "v";`)},
		"fr.lproj/logo.png":         {Data: []byte("logo")},
		"personalization.json":      {Data: []byte(`{"description":"d","requiredPersonalizationFields":[]}`)},
		"manifest.json":             {Data: []byte(`{}`)},
		"signature":                 {Data: []byte("sig")},
		".DS_Store":                 {Data: []byte("junk")},
		"fr.lproj/.DS_Store":        {Data: []byte("junk")},
		"._icon.png":                {Data: []byte("junk")},
		"__MACOSX/._icon.png":       {Data: []byte("junk")},
		"Thumbs.db":                 {Data: []byte("junk")},
		".git/config":               {Data: []byte("junk")},
		"fr.lproj/manifest.json":    {Data: []byte("kept: only the root manifest is skipped")},
		"empty-folder/.placeholder": {Data: nil},
	}
	p, a, err := Load(fsys)
	require.NoError(t, err)
	assert.Equal(t, StyleStoreCard, p.Style())
	assert.Equal(t, []string{"fr.lproj/logo.png", "fr.lproj/manifest.json", "fr.lproj/pass.strings", "icon.png", "icon@2x.png", "personalization.json"}, a.Names())
	assert.Equal(t, []string{"fr"}, a.Languages())
	s, err := a.Strings("fr")
	require.NoError(t, err)
	assert.Equal(t, Strings{"k": "v"}, s)
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name   string
		fsys   fstest.MapFS
		is     error
		substr string
	}{
		{"no pass.json", fstest.MapFS{"icon.png": {Data: pngBytes}}, fs.ErrNotExist, "pass: reading pass.json"},
		{"bad pass.json", fstest.MapFS{"pass.json": {Data: obj(`"generic":{"primaryFields":[{"key":"k","value":true}]}`)}}, nil,
			"pass: pass.json: generic.primaryFields[0].value: want a string, a number or a date string, not a boolean"},
		{"syntax error", fstest.MapFS{"pass.json": {Data: []byte("{\n\"a\" 1}")}}, nil, "pass: pass.json: line 2, column 5: invalid character '1' after object key"},
		{"huge pass.json", fstest.MapFS{"pass.json": {Data: make([]byte, MaxPassJSONSize+1)}}, ErrTooLarge, "pass.json is larger than 4194304 bytes"},
		{"huge asset", fstest.MapFS{"pass.json": {Data: obj("")}, "strip.png": {Data: make([]byte, MaxAssetFileSize+1)}}, ErrTooLarge, "strip.png is larger than"},
		{"not a regular file", fstest.MapFS{"pass.json": {Data: obj("")}, "fifo": {Mode: fs.ModeNamedPipe}}, nil, "pass: fifo is not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, a, err := Load(tt.fsys)
			require.Error(t, err)
			assert.Nil(t, p)
			assert.Nil(t, a)
			if tt.is != nil {
				assert.True(t, errors.Is(err, tt.is), "errors.Is(%v, %v)", err, tt.is)
			}
			assert.Contains(t, err.Error(), tt.substr)
		})
	}
}

func TestLoadLimits(t *testing.T) {
	t.Run("file count", func(t *testing.T) {
		fsys := fstest.MapFS{"pass.json": {Data: obj("")}}
		for i := 0; i <= MaxAssetFiles; i++ {
			fsys["img"+itoa(i)+".png"] = &fstest.MapFile{Data: []byte("x")}
		}
		_, _, err := Load(fsys)
		require.ErrorIs(t, err, ErrTooLarge)
		assert.Contains(t, err.Error(), "more than 512 files")
	})
	t.Run("total size", func(t *testing.T) {
		fsys := fstest.MapFS{"pass.json": {Data: obj("")}}
		chunk := make([]byte, MaxAssetFileSize)
		for i := 0; i <= MaxAssetsSize/MaxAssetFileSize; i++ {
			fsys["big"+itoa(i)+".png"] = &fstest.MapFile{Data: chunk}
		}
		_, _, err := Load(fsys)
		require.ErrorIs(t, err, ErrTooLarge)
		assert.Contains(t, err.Error(), "exceed 67108864 bytes")
	})
}

func TestLoadDirFS(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		full := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, data, 0o644))
	}
	write("pass.json", obj(`"generic":{}`))
	write("icon.png", []byte("icon"))
	write("en.lproj/pass.strings", Strings{"a": "b"}.Encode())
	write(".DS_Store", []byte("junk"))
	write("__MACOSX/icon.png", []byte("junk"))
	shared := filepath.Join(t.TempDir(), "shared-logo.png")
	require.NoError(t, os.WriteFile(shared, []byte("logo"), 0o644))
	require.NoError(t, os.Symlink(shared, filepath.Join(dir, "logo.png")))

	p, a, err := Load(os.DirFS(dir))
	require.NoError(t, err)
	assert.Equal(t, StyleGeneric, p.Style())
	assert.Equal(t, []string{"en.lproj/pass.strings", "icon.png", "logo.png"}, a.Names())
	logo, _ := a.Get("logo.png")
	assert.Equal(t, []byte("logo"), logo, "a symbolic link to a file is followed")
}

// lyingFS serves "big.png" as a file that declares 10 bytes but never ends; everything else comes from MapFS.
type lyingFS struct{ fstest.MapFS }

func (l lyingFS) Open(name string) (fs.File, error) {
	if name == "big.png" {
		return endlessFile{}, nil
	}
	return l.MapFS.Open(name)
}

// Stat is overridden so that fs.Stat sees the lie too.
func (l lyingFS) Stat(name string) (fs.FileInfo, error) {
	if name == "big.png" {
		return endlessFile{}.Stat()
	}
	return l.MapFS.Stat(name)
}

type endlessFile struct{}

func (endlessFile) Stat() (fs.FileInfo, error) {
	return fstest.MapFS{"big.png": {Data: make([]byte, 10)}}.Stat("big.png")
}
func (endlessFile) Read(p []byte) (int, error) { clear(p); return len(p), nil }
func (endlessFile) Close() error               { return nil }

func TestLoadFileLargerThanDeclared(t *testing.T) {
	fsys := lyingFS{fstest.MapFS{"pass.json": {Data: obj("")}, "big.png": {Data: make([]byte, 10)}}}
	_, _, err := Load(fsys)
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "big.png is larger than 16777216 bytes")
}
