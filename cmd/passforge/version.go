package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
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
it; "(devel)" for a build from a source tree) and the Go version it was built
with.

Exit status: 0, or 2 on usage errors.

Example:
  passforge version
  passforge version --json

Flags:
`

// versionInfo is what passforge version reports.
type versionInfo struct {
	Version   string `json:"version"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

// buildInfo reads the build information of the binary; it is a variable so that tests can replace it.
var buildInfo = debug.ReadBuildInfo

// currentVersion returns the module version the binary was built from, or "(devel)".
func currentVersion() versionInfo {
	v := versionInfo{Version: "(devel)", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := buildInfo(); ok {
		if bi.Main.Version != "" {
			v.Version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			v.GoVersion = bi.GoVersion
		}
	}
	return v
}

func (v versionInfo) String() string {
	return fmt.Sprintf("passforge %s (%s, %s)", v.Version, v.GoVersion, v.Platform)
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
