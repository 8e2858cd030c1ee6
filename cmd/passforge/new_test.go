package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/passforge/passforge/pass"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewEveryStyleLintsClean(t *testing.T) {
	for _, style := range newStyles {
		t.Run(style, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "design.pass")
			code, stdout, stderr := runCLI(t, "new", "--style", style, dir)
			require.Equal(t, exitOK, code, stderr)
			assert.Contains(t, stdout, "created "+dir)

			problems, err := lintDesignPath(dir, nil)
			require.NoError(t, err)
			assert.Empty(t, problems, "a scaffold has no errors and no warnings")

			// Checked as a pass, not a design, the unfilled placeholder is an error: signing the folder as it is
			// would ship "{{name}}" to the holder.
			problems, err = lintPath(dir, nil)
			require.NoError(t, err)
			require.NotEmpty(t, problems)
			for _, pr := range problems {
				assert.Equal(t, "unreplaced-placeholder", pr.Rule, "%+v", pr)
				assert.Equal(t, pass.SeverityError, pr.Severity)
			}

			p, assets, err := pass.Load(os.DirFS(dir))
			require.NoError(t, err)
			want := pass.Style(style)
			if style == "posterGeneric" {
				want = pass.StyleGeneric // the legacy fallback beside posterGeneric
				assert.NotNil(t, p.PosterGeneric)
			}
			assert.Equal(t, want, p.Style())
			for _, role := range []pass.ImageRole{pass.ImageIcon, pass.ImageLogo} {
				for scale := 1; scale <= 3; scale++ {
					_, ok := assets.Image(role, scale)
					assert.True(t, ok, "%s@%dx", role, scale)
				}
			}
			_, err = assets.Strings("en")
			require.NoError(t, err)
			raw, err := os.ReadFile(filepath.Join(dir, "pass.json"))
			require.NoError(t, err)
			assert.Contains(t, string(raw), "{{name}}")
		})
	}
}

func TestNewThenBuildEveryStyle(t *testing.T) {
	// One identity for every style: a development identity per build would generate two RSA keys each.
	cert, key, wwdr, roots := bulkIdentityFiles(t)
	for _, style := range newStyles {
		t.Run(style, func(t *testing.T) {
			design := newDesign(t, style, "--pass-type-id", bulkPassTypeID, "--team-id", bulkTeamID)
			out := filepath.Join(t.TempDir(), "p.pkpass")
			code, stdout, stderr := runCLI(t, "build", "--template", design, "--cert", cert, "--key", key, "--wwdr", wwdr,
				"--set", "serialNumber=S-1", "--set", "name=Ada", "-o", out)
			require.Equal(t, exitOK, code, stderr)
			assert.Empty(t, stderr, "no warnings for a scaffolded design")
			assert.Contains(t, stdout, "wrote "+out)
			p := readPass(t, out, roots)
			raw, err := json.Marshal(p)
			require.NoError(t, err)
			assert.NotContains(t, string(raw), "{{", "every placeholder is filled")
			assert.Contains(t, string(raw), "Issued to Ada.")
		})
	}
}

func TestNewRefusesAndExplains(t *testing.T) {
	base := t.TempDir()
	nonEmpty := filepath.Join(base, "nonempty")
	require.NoError(t, os.MkdirAll(nonEmpty, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(nonEmpty, "notes.txt"), []byte("mine"), 0o644))
	aFile := filepath.Join(base, "file.txt")
	require.NoError(t, os.WriteFile(aFile, []byte("x"), 0o644))
	runCLICases(t, "new", []cliCase{
		{"help", []string{"-h"}, exitOK, "Example:"},
		{"no dir", nil, exitUsage, "want exactly one DIR, got 0"},
		{"two dirs", []string{"a", "b"}, exitUsage, "want exactly one DIR, got 2"},
		{"unknown style", []string{"--style", "membership", filepath.Join(base, "x")}, exitUsage, `--style "membership": want one of storeCard, eventTicket`},
		{"bad team id", []string{"--team-id", "my team", filepath.Join(base, "x")}, exitUsage, "10-character Team ID"},
		{"bad pass type id", []string{"--pass-type-id", "com.example.card", filepath.Join(base, "x")}, exitUsage, `"com.example.card" is not a reverse-DNS identifier`},
		{"non-empty dir", []string{nonEmpty}, exitProblems, "is not empty"},
		{"dir is a file", []string{aFile}, exitProblems, "is not a folder"},
	}, func(t *testing.T) { assert.NoDirExists(t, filepath.Join(base, "x")) })
	entries, err := os.ReadDir(nonEmpty)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "a refused folder is left as it was")
	entries, err = os.ReadDir(base)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary folder is left behind")
}

func TestNewIntoEmptyDirWithJSON(t *testing.T) {
	dir := t.TempDir() // exists and is empty
	code, stdout, stderr := runCLI(t, "new", "--json", "--style", "boardingPass", "--pass-type-id", "pass.com.example.air", "--team-id", "AIRLINE123", dir)
	require.Equal(t, exitOK, code, stderr)
	var got newReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	assert.Equal(t, dir, got.Dir)
	assert.Equal(t, "boardingPass", got.Style)
	assert.Equal(t, "pass.com.example.air", got.PassTypeIdentifier)
	assert.Equal(t, "AIRLINE123", got.TeamIdentifier)
	assert.Equal(t, []string{"name"}, got.Placeholders)
	for _, f := range got.Files {
		assert.FileExists(t, filepath.Join(dir, filepath.FromSlash(f)))
	}
	assert.Contains(t, got.Files, "en.lproj/pass.strings")
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), fi.Mode().Perm())
}

func TestNewIntoWorkingFolderAndNewParents(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	code, stdout, stderr := runCLI(t, "new", "--style", "coupon", ".")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "created .")
	assert.FileExists(t, filepath.Join(base, "pass.json"))
	problems, err := lintDesignPath(base, nil)
	require.NoError(t, err)
	assert.Empty(t, problems)

	nested := filepath.Join(base, "designs", "2027", "coupon.pass")
	code, _, stderr = runCLI(t, "new", nested)
	require.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, filepath.Join(nested, "icon@3x.png"))
	entries, err := os.ReadDir(filepath.Dir(nested))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary folder is left behind")
}
