package main

import (
	"encoding/json"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersion(t *testing.T) {
	defer func(f func() (*debug.BuildInfo, bool)) { buildInfo = f }(buildInfo)
	platform := runtime.GOOS + "/" + runtime.GOARCH
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"installed at a version", &debug.BuildInfo{GoVersion: "go1.24.3", Main: debug.Module{Path: "github.com/passforge/passforge", Version: "v1.2.3"}}, true,
			"passforge v1.2.3 (go1.24.3, " + platform + ")\n"},
		{"built in a source tree", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/passforge/passforge", Version: "(devel)"}}, true,
			"passforge (devel) (go1.26.0, " + platform + ")\n"},
		{"no build information", nil, false, "passforge (devel) (" + runtime.Version() + ", " + platform + ")\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			buildInfo = func() (*debug.BuildInfo, bool) { return tc.info, tc.ok }
			for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
				code, stdout, stderr := runCLI(t, args...)
				assert.Equal(t, exitOK, code, stderr)
				assert.Equal(t, tc.want, stdout, args)
			}
			code, stdout, _ := runCLI(t, "version", "--json")
			require.Equal(t, exitOK, code)
			var v versionInfo
			require.NoError(t, json.Unmarshal([]byte(stdout), &v))
			assert.Equal(t, tc.want, v.String()+"\n")
		})
	}
}

func TestVersionUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"version", "-h"}, exitOK, "Example:"},
		{[]string{"version", "now"}, exitUsage, "unexpected arguments"},
		{[]string{"version", "--short"}, exitUsage, "flag provided but not defined"},
		{[]string{"--version", "now"}, exitUsage, "takes no arguments"},
	} {
		code, stdout, stderr := runCLI(t, tc.args...)
		assert.Equal(t, tc.code, code, tc.args)
		if code == exitOK {
			assert.Contains(t, stdout, tc.err, tc.args)
		} else {
			assert.Contains(t, stderr, tc.err, tc.args)
		}
	}
}
