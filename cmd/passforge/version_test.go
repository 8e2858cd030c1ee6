package main

import (
	"encoding/json"
	"runtime"
	"runtime/debug"
	"strings"
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
		{"built in a checkout with VCS stamping", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-12-06T02:15:00Z"}, {Key: "vcs.modified", Value: "true"}}}, true,
			"passforge (devel) commit 0123456789ab, modified, 2026-12-06T02:15:00Z (go1.26.0, " + platform + ")\n"},
		{"clean checkout", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.modified", Value: "false"}}}, true,
			"passforge (devel) commit 0123456789ab (go1.26.0, " + platform + ")\n"},
		{"Go 1.24+ stamps a pseudo-version from VCS", &debug.BuildInfo{GoVersion: "go1.25.0", Main: debug.Module{Version: "v0.0.0-20261206021500-0123456789ab+dirty"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.modified", Value: "true"}}}, true,
			"passforge v0.0.0-20261206021500-0123456789ab+dirty commit 0123456789ab, modified, 2026-12-06T02:15:00Z (go1.25.0, " + platform + ")\n"},
		{"go install ...@commit: the revision is in the pseudo-version", &debug.BuildInfo{GoVersion: "go1.25.0", Main: debug.Module{Version: "v0.0.0-20261206021500-0123456789ab"}}, true,
			"passforge v0.0.0-20261206021500-0123456789ab commit 0123456789ab, 2026-12-06T02:15:00Z (go1.25.0, " + platform + ")\n"},
		{"pre-release pseudo-version", &debug.BuildInfo{GoVersion: "go1.25.0", Main: debug.Module{Version: "v1.2.4-0.20261206021500-0123456789ab"}}, true,
			"passforge v1.2.4-0.20261206021500-0123456789ab commit 0123456789ab, 2026-12-06T02:15:00Z (go1.25.0, " + platform + ")\n"},
		{"empty version and odd settings", &debug.BuildInfo{Main: debug.Module{Version: ""}, Settings: []debug.BuildSetting{
			{Key: "vcs.modified", Value: "maybe"}, {Key: "vcs.time", Value: "yesterday"}, {Key: "vcs.revision", Value: "abc"}}}, true,
			"passforge (devel) commit abc (" + runtime.Version() + ", " + platform + ")\n"},
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
			if strings.Contains(tc.want, "commit 0123456789ab") {
				assert.True(t, strings.HasPrefix(v.Revision, "0123456789ab"), "--json carries the revision: %s", stdout)
			}
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
