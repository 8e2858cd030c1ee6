package main

import (
	"fmt"
	"io"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

func init() {
	register(&command{
		name:    "version",
		summary: "print the passforge version and the Go version it was built with",
		run:     runVersion,
	})
}

const versionUsage = `Usage: passforge version [--json]
       passforge --version

Prints the module version of passforge (as 'go install ...@v1.2.3' records
it; "(devel)" for a build from a source tree), the VCS commit it was built
from when the build recorded one (with ", modified" for uncommitted changes
and the commit time), and the Go version it was built with. Builds with
GOFLAGS=-buildvcs=false, or outside a repository, record no commit.

Exit status: 0, or 2 on usage errors.

Example:
  passforge version
  passforge version --json

Flags:
`

// versionInfo is what passforge version reports.
type versionInfo struct {
	Version string `json:"version"`
	// Revision is the VCS commit the binary was built from: vcs.revision of the build information, or the
	// commit of a pseudo-version; empty when the build recorded none.
	Revision string `json:"revision,omitempty"`
	// RevisionTime is the commit time, RFC 3339.
	RevisionTime string `json:"revisionTime,omitempty"`
	// Modified reports uncommitted changes in the working tree at build time.
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

// buildInfo reads the build information of the binary; it is a variable so that tests can replace it.
var buildInfo = debug.ReadBuildInfo

// pseudoVersion matches the tail of a Go pseudo-version: a UTC timestamp and a 12-digit commit prefix,
// optionally followed by "+dirty" (Go 1.24+ stamps builds from a modified checkout so).
var pseudoVersion = regexp.MustCompile(`[.-](\d{14})-([0-9a-f]{12})(\+dirty)?$`)

// currentVersion returns the module version and VCS revision the binary was built from, "(devel)" when the
// build recorded no version.
func currentVersion() versionInfo {
	v := versionInfo{Version: "(devel)", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := buildInfo()
	if !ok || bi == nil {
		return v
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	if bi.GoVersion != "" {
		v.GoVersion = bi.GoVersion
	}
	if m := pseudoVersion.FindStringSubmatch(v.Version); m != nil {
		v.Revision, v.Modified = m[2], m[3] != ""
		if t, err := time.Parse("20060102150405", m[1]); err == nil {
			v.RevisionTime = t.UTC().Format(time.RFC3339)
		}
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if s.Value != "" {
				v.Revision = s.Value
			}
		case "vcs.time":
			if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
				v.RevisionTime = t.UTC().Format(time.RFC3339)
			}
		case "vcs.modified":
			if m, err := strconv.ParseBool(s.Value); err == nil {
				v.Modified = m
			}
		}
	}
	return v
}

// String is the line passforge version prints, such as
// "passforge (devel) commit 0123456789ab, modified, 2026-12-06T02:15:00Z (go1.25.0, linux/amd64)".
func (v versionInfo) String() string {
	var b strings.Builder
	b.WriteString("passforge " + v.Version)
	if v.Revision != "" {
		rev := v.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		b.WriteString(" commit " + rev)
		if v.Modified {
			b.WriteString(", modified")
		}
		if v.RevisionTime != "" {
			b.WriteString(", " + v.RevisionTime)
		}
	}
	fmt.Fprintf(&b, " (%s, %s)", v.GoVersion, v.Platform)
	return b.String()
}

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", versionUsage, stderr)
	asJSON := fs.Bool("json", false, "print the version as JSON")
	rest, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	if len(rest) > 0 {
		return usageError(fs, "unexpected arguments: %v", rest)
	}
	v := currentVersion()
	if *asJSON {
		if err := printJSON(stdout, v); err != nil {
			return failure(stderr, "version", err)
		}
		return exitOK
	}
	fmt.Fprintln(stdout, v)
	return exitOK
}
