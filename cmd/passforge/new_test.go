package main

import (
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

			problems, err := lintPath(dir, nil)
			require.NoError(t, err)
			assert.Empty(t, problems, "a scaffold has no errors and no warnings")

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
