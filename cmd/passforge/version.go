package main

import (
	"encoding/json"
	"errors"
	"flag"
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
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the version as JSON")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), versionUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "passforge version: unexpected arguments: %v\n\n", fs.Args())
		fs.Usage()
		return exitUsage
	}
	v := currentVersion()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			fmt.Fprintf(stderr, "passforge version: %v\n", err)
			return exitProblems
		}
		return exitOK
	}
	fmt.Fprintln(stdout, v)
	return exitOK
}
