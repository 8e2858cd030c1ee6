package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func member(serial, name string) *Values {
	return &Values{SerialNumber: serial, Placeholders: map[string]string{"holder_name": name}, BarcodeMessage: "MEMBER-" + serial}
}

func TestLoadSources(t *testing.T) {
	fsys := designFS(t)
	dir := t.TempDir()
	for name, f := range fsys {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), f.Data, 0o644))
	}
	fromFS, err := Load(fsys)
	require.NoError(t, err)
	pk, err := fromFS.IssueBytes(member("SRC-1", "Ada"), devID().Identity, nil)
	require.NoError(t, err)
	pkFile := filepath.Join(t.TempDir(), "existing.pkpass")
	require.NoError(t, os.WriteFile(pkFile, pk, 0o644))

	sources := []struct {
		name string
		load func() (*Template, error)
	}{
		{"fs.FS", func() (*Template, error) { return Load(fsys) }},
		{"folder", func() (*Template, error) { return Open(dir) }},
		{"pkpass reader", func() (*Template, error) { return LoadPkpass(bytes.NewReader(pk), int64(len(pk))) }},
		{"pkpass file", func() (*Template, error) { return Open(pkFile) }},
	}
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			tp, err := src.load()
			require.NoError(t, err)
			assert.Equal(t, testPassTypeID, tp.PassTypeIdentifier())
			assert.Equal(t, testTeamID, tp.TeamIdentifier())
			assert.Equal(t, []string{"fr.lproj/pass.strings", "icon.png", "icon@2x.png", "logo.png", "logo@2x.png"}, tp.Files())
			assert.Equal(t, []string{"balance", "member", "points", "terms", "tier"}, tp.FieldKeys())
			data, err := tp.IssueBytes(&Values{SerialNumber: "S-9", Fields: map[string]pass.Value{"member": pass.String("Grace")}, BarcodeMessage: "M-9",
				Placeholders: map[string]string{"holder_name": "Grace"}}, devID().Identity, nil)
			require.NoError(t, err)
			pkg := verify(t, data)
			assert.Equal(t, "S-9", pkg.Pass.SerialNumber)
			assert.Equal(t, "Grace", pkg.Pass.StoreCard.SecondaryFields[0].Value.String())
			assert.Equal(t, "M-9", pkg.Pass.Barcodes[0].Message)
			assert.Len(t, pkg.Files, 8) // 5 files, pass.json, manifest.json, signature
		})
	}
	t.Run("pkpass placeholders", func(t *testing.T) {
		// A pass issued from the template no longer holds placeholders.
		tp, err := Open(pkFile)
		require.NoError(t, err)
		assert.Empty(t, tp.Placeholders())
	})
	t.Run("missing folder", func(t *testing.T) {
		_, err := Open(filepath.Join(dir, "nope"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "template:")
	})
	t.Run("not a pkpass", func(t *testing.T) {
		_, err := LoadPkpass(bytes.NewReader([]byte("not a zip")), 9)
		require.ErrorIs(t, err, sign.ErrArchive)
	})
}

func TestNewInCode(t *testing.T) {
	p := &pass.Pass{FormatVersion: 1, PassTypeIdentifier: testPassTypeID, TeamIdentifier: testTeamID,
		OrganizationName: "Example", Description: "Ticket",
		EventTicket: &pass.PassFields{PrimaryFields: []pass.Field{{Key: "event", Label: "EVENT", Value: pass.String("{{event}}")}}}}
	a := &pass.Assets{}
	require.NoError(t, a.SetImage(pass.ImageIcon, 1, testPNG(t, 29, 29, 5, false)))
	tp, err := New(p, a)
	require.NoError(t, err)
	assert.Equal(t, []string{"event"}, tp.Placeholders())
	data, err := tp.IssueBytes(&Values{SerialNumber: "T-1", Placeholders: map[string]string{"event": "Concert"}}, devID().Identity, nil)
	require.NoError(t, err)
	pkg := verify(t, data)
	assert.Equal(t, "Concert", pkg.Pass.EventTicket.PrimaryFields[0].Value.String())
	assert.Equal(t, "{{event}}", p.EventTicket.PrimaryFields[0].Value.String(), "the design is unchanged")
}

func TestValues(t *testing.T) {
	tp := loadDesign(t)
	thumb := testPNG(t, 90, 90, 7, false)
	exp := pass.NewDate(mustTime(t, "2027-01-31T23:59:00Z"))
	tests := []struct {
		name  string
		v     *Values
		check func(t *testing.T, p *pass.Pass, a *pass.Assets)
	}{
		{"placeholders everywhere", member("V-1", `Ada "The Countess" Lovelace`), func(t *testing.T, p *pass.Pass, a *pass.Assets) {
			assert.Equal(t, `Ada "The Countess" Lovelace`, p.StoreCard.SecondaryFields[0].Value.String())
			assert.Equal(t, `Example Coffee membership for Ada "The Countess" Lovelace`, p.Description)
			var ui map[string]string
			require.NoError(t, json.Unmarshal(p.UserInfo, &ui), "userInfo stays valid JSON")
			assert.Equal(t, `Ada "The Countess" Lovelace`, ui["member"])
			fr, err := a.Strings("fr")
			require.NoError(t, err)
			assert.Equal(t, `MEMBRE Ada "The Countess" Lovelace`, fr["MEMBER"])
		}},
		{"fields by key in any group", &Values{SerialNumber: "V-2", Placeholders: map[string]string{"holder_name": "x"},
			Fields: map[string]pass.Value{"member": pass.String("Grace"), "balance": pass.Number(12.5), "points": pass.Int(120), "terms": pass.String("None.")}},
			func(t *testing.T, p *pass.Pass, _ *pass.Assets) {
				assert.Equal(t, "Grace", p.StoreCard.SecondaryFields[0].Value.String())
				f, _ := p.StoreCard.PrimaryFields[0].Value.Float64()
				assert.InDelta(t, 12.5, f, 1e-9)
				assert.Equal(t, "120", p.StoreCard.HeaderFields[0].Value.String())
				assert.Equal(t, "None.", p.StoreCard.BackFields[0].Value.String())
			}},
		{"field value replaces its placeholder", &Values{SerialNumber: "V-3", Fields: map[string]pass.Value{"member": pass.String("Only field")},
			Placeholders: map[string]string{"holder_name": "y"}}, func(t *testing.T, p *pass.Pass, _ *pass.Assets) {
			assert.Equal(t, "Only field", p.StoreCard.SecondaryFields[0].Value.String())
		}},
		{"barcode and overrides", &Values{SerialNumber: "V-4", Placeholders: map[string]string{"holder_name": "z"},
			BarcodeMessage: "MSG-4", BarcodeAltText: "4", BackgroundColor: pass.RGB(1, 2, 3), ForegroundColor: pass.RGB(250, 250, 250),
			LabelColor: pass.RGB(9, 9, 9), ExpirationDate: exp, Voided: true, WebServiceURL: "https://example.com/passes",
			AuthenticationToken: "0123456789abcdef0123", NFCMessage: "nfc-4", Locations: []pass.Location{{Latitude: 48.85, Longitude: 2.35}},
			RelevantDate: exp}, func(t *testing.T, p *pass.Pass, _ *pass.Assets) {
			assert.Equal(t, "MSG-4", p.Barcodes[0].Message)
			assert.Equal(t, "4", p.Barcodes[0].AltText)
			assert.Equal(t, pass.RGB(1, 2, 3), p.BackgroundColor)
			assert.Equal(t, pass.RGB(250, 250, 250), p.ForegroundColor)
			assert.Equal(t, pass.RGB(9, 9, 9), p.LabelColor)
			assert.True(t, p.ExpirationDate.Equal(exp.Time))
			assert.True(t, p.RelevantDate.Equal(exp.Time))
			assert.True(t, p.Voided)
			assert.Equal(t, "https://example.com/passes", p.WebServiceURL)
			assert.Equal(t, "0123456789abcdef0123", p.AuthenticationToken)
			require.NotNil(t, p.NFC)
			assert.Equal(t, "nfc-4", p.NFC.Message)
			require.Len(t, p.Locations, 1)
		}},
		{"per-pass image and localized values", &Values{SerialNumber: "V-5", Placeholders: map[string]string{"holder_name": "Ada"},
			Images:    map[string][]byte{"thumbnail.png": thumb},
			Localized: map[string]pass.Strings{"fr": {"TIER": "NIVEAU"}, "de": {"MEMBER": "MITGLIED", "POINTS": "PUNKTE", "TIER": "STUFE"}}},
			func(t *testing.T, _ *pass.Pass, a *pass.Assets) {
				got, ok := a.Get("thumbnail.png")
				require.True(t, ok)
				assert.Equal(t, thumb, got)
				fr, err := a.Strings("fr")
				require.NoError(t, err)
				assert.Equal(t, pass.Strings{"MEMBER": "MEMBRE Ada", "POINTS": "POINTS", "TIER": "NIVEAU"}, fr)
				de, err := a.Strings("de")
				require.NoError(t, err)
				assert.Equal(t, "MITGLIED", de["MEMBER"])
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, a, err := tp.Build(tt.v)
			require.NoError(t, err)
			tt.check(t, p, a)
			data, err := tp.IssueBytes(tt.v, devID().Identity, nil)
			require.NoError(t, err)
			pkg := verify(t, data)
			assert.Equal(t, tt.v.SerialNumber, pkg.Pass.SerialNumber)
			tt.check(t, pkg.Pass, pkg.Assets)
		})
	}
	t.Run("the design is unchanged", func(t *testing.T) {
		fresh := loadDesign(t)
		want, err := json.Marshal(fresh.base)
		require.NoError(t, err)
		got, err := json.Marshal(tp.base)
		require.NoError(t, err)
		assert.JSONEq(t, string(want), string(got))
	})
}

func TestValueErrors(t *testing.T) {
	tp := loadDesign(t)
	tests := []struct {
		name    string
		v       *Values
		is      error
		message string
	}{
		{"no values", nil, ErrMissingValue, "serialNumber is required"},
		{"no serial", &Values{Placeholders: map[string]string{"holder_name": "a"}}, ErrMissingValue, "serialNumber is required"},
		{"missing placeholder", &Values{SerialNumber: "E-1"}, ErrMissingValue, `no value for placeholder {{holder_name}} (used at description)`},
		{"unknown field", &Values{SerialNumber: "E-2", Placeholders: map[string]string{"holder_name": "a"}, Fields: map[string]pass.Value{"nope": pass.String("x")}},
			ErrUnknownField, `no field with key "nope"`},
		{"not a png", &Values{SerialNumber: "E-3", Placeholders: map[string]string{"holder_name": "a"}, Images: map[string][]byte{"thumbnail.jpg": []byte("x")}},
			ErrUnknownField, `"thumbnail.jpg" is not a .png image`},
		{"invalid pass", &Values{SerialNumber: "E-4", Placeholders: map[string]string{"holder_name": "a"}, BackgroundColor: "blue"},
			sign.ErrInvalidPass, "backgroundColor"},
		{"invalid image", &Values{SerialNumber: "E-5", Placeholders: map[string]string{"holder_name": "a"}, Images: map[string][]byte{"icon.png": []byte("not png")}},
			sign.ErrInvalidPass, "icon.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tp.IssueBytes(tt.v, devID().Identity, nil)
			require.ErrorIs(t, err, tt.is)
			assert.Contains(t, err.Error(), tt.message)
			assert.Regexp(t, `^template: `, err.Error())
		})
	}
	t.Run("missing placeholder is typed", func(t *testing.T) {
		_, err := tp.IssueBytes(&Values{SerialNumber: "E-6", Fields: map[string]pass.Value{"member": pass.String("m")}}, devID().Identity, nil)
		var me *MissingValueError
		require.ErrorAs(t, err, &me)
		assert.Equal(t, "holder_name", me.Name)
		assert.Equal(t, "description", me.Path)
	})
	t.Run("missing placeholder in pass.strings", func(t *testing.T) {
		fsys := designFS(t)
		fsys["pass.json"] = &fstest.MapFile{Data: bytes.ReplaceAll([]byte(designJSON), []byte("{{holder_name}}"), []byte("Ada"))}
		tp, err := Load(fsys)
		require.NoError(t, err)
		_, err = tp.IssueBytes(&Values{SerialNumber: "E-7"}, devID().Identity, nil)
		var me *MissingValueError
		require.ErrorAs(t, err, &me)
		assert.Equal(t, "fr.lproj/pass.strings: MEMBER", me.Path)
	})
	t.Run("allow invalid", func(t *testing.T) {
		data, err := tp.IssueBytes(&Values{SerialNumber: "E-8", Placeholders: map[string]string{"holder_name": "a"}, BackgroundColor: "blue"},
			devID().Identity, &sign.Options{AllowInvalid: true})
		require.NoError(t, err)
		verify(t, data)
	})
	t.Run("wrong identity", func(t *testing.T) {
		other, err := sign.NewDevelopmentIdentity("pass.com.example.other", testTeamID)
		require.NoError(t, err)
		_, err = tp.IssueBytes(member("E-9", "a"), other.Identity, nil)
		require.ErrorIs(t, err, sign.ErrIdentifierMismatch)
	})
}

func TestDesignErrors(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(fstest.MapFS)
		is      error
		message string
	}{
		{"no icon", func(f fstest.MapFS) { delete(f, "icon.png"); delete(f, "icon@2x.png") }, ErrInvalidDesign, "icon.png"},
		{"bad colour", func(f fstest.MapFS) {
			f["pass.json"] = &fstest.MapFile{Data: bytes.Replace([]byte(designJSON), []byte(`"rgb(60, 65, 76)"`), []byte(`"blueish"`), 1)}
		}, ErrInvalidDesign, "backgroundColor"},
		{"unterminated placeholder", func(f fstest.MapFS) {
			f["pass.json"] = &fstest.MapFile{Data: bytes.Replace([]byte(designJSON), []byte(`"Gold"`), []byte(`"{{tier"`), 1)}
		}, nil, "storeCard.auxiliaryFields[0].value: unterminated placeholder"},
		{"bad placeholder name", func(f fstest.MapFS) {
			f["pass.json"] = &fstest.MapFile{Data: bytes.Replace([]byte(designJSON), []byte(`"Gold"`), []byte(`"{{a b}}"`), 1)}
		}, nil, `bad placeholder name "a b"`},
		{"no pass.json", func(f fstest.MapFS) { delete(f, "pass.json") }, nil, "pass.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := designFS(t)
			tt.edit(fsys)
			_, err := Load(fsys)
			require.Error(t, err)
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is)
			}
			assert.Contains(t, err.Error(), tt.message)
			assert.Regexp(t, `^template: `, err.Error())
		})
	}
	t.Run("placeholder paths are not judged at load", func(t *testing.T) {
		// A URL made of a placeholder is only valid once filled.
		fsys := designFS(t)
		fsys["pass.json"] = &fstest.MapFile{Data: bytes.Replace([]byte(designJSON), []byte(`"logoText"`), []byte(`"webServiceURL": "{{service}}", "authenticationToken": "{{token}}", "logoText"`), 1)}
		tp, err := Load(fsys)
		require.NoError(t, err)
		assert.Equal(t, []string{"holder_name", "service", "token"}, tp.Placeholders())
		_, err = tp.IssueBytes(&Values{SerialNumber: "D-1", Placeholders: map[string]string{"holder_name": "a", "service": "ftp://x", "token": "short"}}, devID().Identity, nil)
		require.ErrorIs(t, err, sign.ErrInvalidPass)
		data, err := tp.IssueBytes(&Values{SerialNumber: "D-2", Placeholders: map[string]string{"holder_name": "a", "service": "https://example.com/p", "token": "0123456789abcdef0123"}}, devID().Identity, nil)
		require.NoError(t, err)
		assert.Equal(t, "https://example.com/p", verify(t, data).Pass.WebServiceURL)
	})
}

func TestFieldValue(t *testing.T) {
	tp := loadDesign(t)
	v, err := tp.FieldValue("balance", " 12.50 ")
	require.NoError(t, err)
	assert.True(t, v.IsNumber())
	_, err = tp.FieldValue("balance", "twelve")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `field "balance" (storeCard.primaryFields[0].value) is a number`)
	v, err = tp.FieldValue("member", "12")
	require.NoError(t, err)
	assert.True(t, v.IsString())
	_, err = tp.FieldValue("nope", "x")
	require.ErrorIs(t, err, ErrUnknownField)
}

func TestConcurrentIssue(t *testing.T) {
	tp := loadDesign(t)
	const goroutines, each = 4, 3
	var wg sync.WaitGroup
	out := make([][]byte, goroutines*each)
	errs := make([]error, goroutines*each)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				n := g*each + i
				out[n], errs[n] = tp.IssueBytes(&Values{SerialNumber: fmt.Sprintf("C-%d", n),
					Placeholders: map[string]string{"holder_name": fmt.Sprintf("Member %d", n)},
					Fields:       map[string]pass.Value{"points": pass.Int(int64(n))}, BarcodeMessage: fmt.Sprintf("MEMBER-%d", n),
					Images: map[string][]byte{"thumbnail.png": testPNG(t, 60, 60, uint64(n), false)}}, devID().Identity, nil)
			}
		}()
	}
	wg.Wait()
	for n := range out {
		require.NoError(t, errs[n])
		pkg := verify(t, out[n])
		assert.Equal(t, fmt.Sprintf("C-%d", n), pkg.Pass.SerialNumber)
		assert.Equal(t, fmt.Sprintf("Member %d", n), pkg.Pass.StoreCard.SecondaryFields[0].Value.String())
		assert.Equal(t, fmt.Sprint(n), pkg.Pass.StoreCard.HeaderFields[0].Value.String())
		assert.Equal(t, fmt.Sprintf("MEMBER-%d", n), pkg.Pass.Barcodes[0].Message)
	}
	assert.Equal(t, "{{holder_name}}", tp.base.StoreCard.SecondaryFields[0].Value.String())
	assert.Equal(t, "DESIGN", tp.base.Barcodes[0].Message)
}

func TestFileName(t *testing.T) {
	for serial, want := range map[string]string{
		"SN-1":       "SN-1.pkpass",
		"a/b":        "a%2Fb.pkpass",
		"a%2Fb":      "a%252Fb.pkpass",
		"..":         "%2E..pkpass",
		"x.y_z":      "x.y_z.pkpass",
		"café":       "caf%C3%A9.pkpass",
		".hidden":    "%2Ehidden.pkpass",
		"with space": "with%20space.pkpass",
	} {
		t.Run(serial, func(t *testing.T) { assert.Equal(t, want, FileName(serial)) })
	}
}

func TestParsePlaceholders(t *testing.T) {
	parts, err := parsePlaceholders("Hi {{ name }}, {{x.y-z_1}}!")
	require.NoError(t, err)
	assert.Equal(t, []part{{lit: "Hi "}, {name: "name"}, {lit: ", "}, {name: "x.y-z_1"}, {lit: "!"}}, parts)
	parts, err = parsePlaceholders("no braces { } here")
	require.NoError(t, err)
	assert.Nil(t, parts)
	_, err = parsePlaceholders("{{}}")
	require.Error(t, err)
	assert.True(t, errors.Is(&MissingValueError{Name: "n"}, ErrMissingValue))
}
