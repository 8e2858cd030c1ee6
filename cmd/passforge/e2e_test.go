package main

// End-to-end tests: the passforge binary is built once, and every subcommand is run as a new user would, in a
// temporary folder.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// passforgeBin is the binary built by TestMain.
var passforgeBin string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "passforge-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	passforgeBin = filepath.Join(dir, "passforge")
	if runtime.GOOS == "windows" {
		passforgeBin += ".exe"
	}
	// The default build configuration shares the build cache with go vet and go build; TestE2EInstallable
	// checks that the command also builds without cgo.
	build := exec.Command("go", "build", "-o", passforgeBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build: %v\n%s", err, out)
		return 1
	}
	stop, err := addPushE2ECases(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: push cases:", err)
		return 1
	}
	defer stop()
	return m.Run()
}

// pf runs the binary in dir and returns its exit code and output.
func pf(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(passforgeBin, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	// The identity passwords come from the environment: start from none.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envP12Password+"=") && !strings.HasPrefix(kv, envKeyPassword+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	}
	require.NoError(t, err)
	return 0, out.String(), errOut.String()
}

// e2eCommands returns the subcommands the binary lists in 'passforge -h'.
func e2eCommands(t *testing.T) []string {
	t.Helper()
	code, stdout, _ := pf(t, t.TempDir(), "-h")
	require.Equal(t, exitOK, code)
	_, list, ok := strings.Cut(stdout, "Commands:\n")
	require.True(t, ok, stdout)
	list, _, _ = strings.Cut(list, "\n\n")
	var names []string
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names
}

// TestE2ENewUserFlow is the first session of a new user: scaffold, lint, build, verify, inspect, preview.
func TestE2ENewUserFlow(t *testing.T) {
	dir := t.TempDir()
	step := func(want int, args ...string) string {
		t.Helper()
		code, stdout, stderr := pf(t, dir, args...)
		require.Equal(t, want, code, "passforge %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), stdout, stderr)
		return stdout
	}
	out := step(exitOK, "new", "--style", "eventTicket", "ticket.pass")
	assert.Contains(t, out, "created ticket.pass")
	assert.Contains(t, out, "passforge lint --template ticket.pass")
	assert.Contains(t, step(exitOK, "lint", "--template", "ticket.pass"), "ticket.pass: no problems")

	out = step(exitOK, "build", "--template", "ticket.pass", "--dev", "--set", "serialNumber=T-0001",
		"--set", "name=Jane Appleseed", "--set", "barcodeMessage=T-0001", "-o", "jane.pkpass")
	assert.Contains(t, out, "wrote jane.pkpass")
	assert.Contains(t, out, "passforge verify --roots jane-ca.pem jane.pkpass")
	assert.FileExists(t, filepath.Join(dir, "jane-ca.pem"))

	assert.Contains(t, step(exitOK, "verify", "--roots", "jane-ca.pem", "jane.pkpass"), "jane.pkpass: OK")
	var report verifyReport
	require.NoError(t, json.Unmarshal([]byte(step(exitOK, "verify", "--roots", "jane-ca.pem", "--json", "jane.pkpass")), &report))
	assert.True(t, report.OK)
	assert.Equal(t, "T-0001", report.SerialNumber)

	out = step(exitOK, "inspect", "--roots", "jane-ca.pem", "jane.pkpass")
	assert.Contains(t, out, "Style:        eventTicket")
	assert.Contains(t, out, "eventTicket.secondaryFields member = Attendee: Jane Appleseed")
	assert.Contains(t, out, `Barcode 1:    PKBarcodeFormatQR "T-0001"`)
	assert.Contains(t, out, "Verified:     OK")
	var inspected struct {
		SerialNumber string `json:"serialNumber"`
		Verified     bool   `json:"verified"`
		Files        []struct {
			Name string `json:"name"`
		} `json:"files"`
	}
	require.NoError(t, json.Unmarshal([]byte(step(exitOK, "inspect", "--roots", "jane-ca.pem", "--json", "jane.pkpass")), &inspected))
	assert.Equal(t, "T-0001", inspected.SerialNumber)
	assert.True(t, inspected.Verified)
	var names []string
	for _, f := range inspected.Files {
		names = append(names, f.Name)
	}
	assert.Subset(t, names, []string{"pass.json", "manifest.json", "signature", "icon.png", "icon@2x.png", "icon@3x.png",
		"logo.png", "thumbnail@3x.png", "en.lproj/pass.strings"})

	// A picture of its front, for a first look without a device.
	assert.Contains(t, step(exitOK, "preview", "-o", "front.png", "jane.pkpass"), "wrote front.png (eventTicket, 640x840 px, @2x)")
	f, err := os.Open(filepath.Join(dir, "front.png"))
	require.NoError(t, err)
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	require.NoError(t, err)
	assert.Equal(t, [2]int{640, 840}, [2]int{cfg.Width, cfg.Height})

	// The same pass through lint: clean with the development CA, one "pkpass" problem (the chain) without it.
	assert.Contains(t, step(exitOK, "lint", "--roots", "jane-ca.pem", "jane.pkpass"), "no problems")
	var problems []lintProblem
	require.NoError(t, json.Unmarshal([]byte(step(exitProblems, "lint", "--json", "jane.pkpass")), &problems))
	require.Len(t, problems, 1)
	assert.Equal(t, lintPkpassRule, problems[0].Rule)
	assert.Contains(t, problems[0].Message, "chain")
}

// e2eFixture is what the per-command cases use: a design, a signed pass with its development CA, and files.
type e2eFixture struct {
	dir string
}

func newE2EFixture(t *testing.T) *e2eFixture {
	t.Helper()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"new", "--style", "storeCard", "design.pass"},
		{"build", "--template", "design.pass", "--dev", "--set", "serialNumber=1", "--set", "name=Ada", "-o", "ada.pkpass"},
	} {
		code, stdout, stderr := pf(t, dir, args...)
		require.Equal(t, exitOK, code, "%v\n%s%s", args, stdout, stderr)
	}
	write := func(name, content string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	write("nonempty/keep.txt", "x")
	write("noname.json", `{"serialNumber": "2"}`)
	// A pass folder whose pass.json is fine but which has no icon: Wallet rejects it.
	passJSON, err := os.ReadFile(filepath.Join(dir, "design.pass", "pass.json"))
	require.NoError(t, err)
	write("noicon.pass/pass.json", string(passJSON))
	// The design with its placeholder filled: a pass folder that signs.
	files, err := os.ReadDir(filepath.Join(dir, "design.pass"))
	require.NoError(t, err)
	for _, f := range files {
		if f.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, "design.pass", f.Name()))
		require.NoError(t, err)
		write("filled.pass/"+f.Name(), strings.ReplaceAll(string(data), "{{name}}", "Ada"))
	}
	write("broken.json", `{"formatVersion": 2, "storeCard": {}}`)
	write("notzip.pkpass", "this is not a zip archive")
	write("members.csv", "serialNumber,name\nM-1,Ada\nM-2,Grace\n")
	write("badrow.csv", "serialNumber,name,backgroundColor\nM-1,Ada,\nM-2,Grace,blue\n")
	return &e2eFixture{dir: dir}
}

// e2eCase is a run of one subcommand and what it must do.
type e2eCase struct {
	args []string
	code int
	// out must appear in the standard output (exit 0) or the standard error (otherwise).
	out string
	// file, if set, must exist afterwards (exit 0) or must not (otherwise).
	file string
}

// e2eCases holds, for every subcommand, a success, a problem found (exit 1) and a usage error (exit 2).
var e2eCases = map[string][]e2eCase{
	"new": {
		{[]string{"--style", "coupon", "coupon.pass"}, exitOK, "created coupon.pass", "coupon.pass/icon@3x.png"},
		{[]string{"nonempty"}, exitProblems, "nonempty is not empty", "nonempty/pass.json"},
		{[]string{"--style", "loyaltyCard", "x.pass"}, exitUsage, `--style "loyaltyCard"`, "x.pass"},
	},
	"build": {
		{[]string{"--template", "design.pass", "--dev", "--set", "serialNumber=9", "--set", "name=Grace", "-o", "grace.pkpass"}, exitOK, "wrote grace.pkpass", "grace.pkpass"},
		{[]string{"--template", "design.pass", "--dev", "--values", "noname.json", "-o", "noname.pkpass"}, exitProblems, "{{name}}", "noname.pkpass"},
		{[]string{"--template", "design.pass", "--dev", "--set", "name=Grace", "-o", "noserial.pkpass"}, exitUsage, "serialNumber", "noserial.pkpass"},
	},
	"sign": {
		{[]string{"--dev", "-o", "signed.pkpass", "filled.pass"}, exitOK, "wrote signed.pkpass", "signed-ca.pem"},
		{[]string{"--dev", "-o", "noicon.pkpass", "noicon.pass"}, exitProblems, "icon", "noicon.pkpass"},
		{[]string{"--dev", "-o", "design.pkpass", "design.pass"}, exitProblems, "{{name}}", "design.pkpass"},
		{[]string{"--dev", "design.pass"}, exitUsage, "want -o OUT.pkpass", ""},
	},
	"verify": {
		{[]string{"--roots", "ada-ca.pem", "ada.pkpass"}, exitOK, "ada.pkpass: OK", ""},
		{[]string{"ada.pkpass"}, exitProblems, "chain", ""},
		{[]string{"--at", "yesterday", "ada.pkpass"}, exitUsage, "--at", ""},
	},
	"lint": {
		{[]string{"--template", "design.pass"}, exitOK, "design.pass: no problems", ""},
		{[]string{"filled.pass"}, exitOK, "filled.pass: no problems", ""},
		{[]string{"broken.json"}, exitProblems, "formatVersion", ""},
		{[]string{"design.pass"}, exitProblems, "unreplaced-placeholder", ""},
		{[]string{"design.pass", "broken.json"}, exitUsage, "want exactly one PATH", ""},
		{[]string{"--template", "ada.pkpass"}, exitUsage, "not a signed .pkpass", ""},
	},
	"inspect": {
		{[]string{"--roots", "ada-ca.pem", "ada.pkpass"}, exitOK, "Serial:       1", ""},
		{[]string{"notzip.pkpass"}, exitProblems, "notzip.pkpass", ""},
		{nil, exitUsage, "want exactly one FILE.pkpass", ""},
	},
	"barcode": {
		{[]string{"--format", "qr", "-o", "qr.png", "https://example.com/t/42"}, exitOK, "wrote qr.png", "qr.png"},
		{[]string{"--format", "ean13", "-o", "ean.png", "4006381333932"}, exitProblems, "check digit", "ean.png"},
		{[]string{"-o", "none.png", "hello"}, exitUsage, "want --format", "none.png"},
	},
	"bulk": {
		{[]string{"--template", "design.pass", "--dev", "--values", "members.csv", "-o", "out"}, exitOK, "issued 2 passes", "out/M-2.pkpass"},
		{[]string{"--template", "design.pass", "--dev", "--values", "badrow.csv", "-o", "bad"}, exitProblems, "row 2", "bad/M-2.pkpass"},
		{[]string{"--template", "design.pass", "--dev", "-o", "out2"}, exitUsage, "want --template DIR, --values FILE", "out2"},
	},
	"bench": {
		{[]string{"--template", "design.pass", "--dev", "-n", "4", "--workers", "1"}, exitOK, "passes/s:", ""},
		{[]string{"--template", "missing.pass", "--dev", "-n", "4"}, exitProblems, "missing.pass", ""},
		{[]string{"--template", "design.pass", "--dev", "-n", "0"}, exitUsage, "-n must be at least 1", ""},
	},
	"preview": {
		{[]string{"-o", "front.png", "ada.pkpass"}, exitOK, "wrote front.png", "front.png"},
		{[]string{"-o", "bad.png", "notzip.pkpass"}, exitProblems, "notzip.pkpass", "bad.png"},
		{[]string{"ada.pkpass"}, exitUsage, "want -o OUT", ""},
	},
	"version": {
		{nil, exitOK, "passforge ", ""},
		{[]string{"extra"}, exitUsage, "unexpected arguments", ""},
	},
}

func TestE2EEveryCommand(t *testing.T) {
	fx := newE2EFixture(t)
	registered := e2eCommands(t)
	for _, name := range registered {
		t.Run(name, func(t *testing.T) {
			// Every command: -h (and --help) prints its usage with an example on the standard output, since
			// it was asked for, and exits 0.
			for _, h := range []string{"-h", "--help"} {
				code, stdout, stderr := pf(t, fx.dir, name, h)
				assert.Equal(t, exitOK, code)
				assert.Contains(t, stdout, "Usage: passforge "+name)
				assert.Regexp(t, `(?m)^Examples?:\n  (\S+=\S+ )?passforge `+name+`\b`, stdout)
				assert.Empty(t, stderr, "help asked for goes to the standard output")
			}
			// An unknown flag is a usage error of two lines, not the whole usage.
			code, stdout, stderr := pf(t, fx.dir, name, "--no-such-flag")
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, stdout)
			assert.Equal(t, "passforge "+name+": flag provided but not defined: -no-such-flag\n"+
				"Run 'passforge "+name+" -h' for usage.\n", stderr)

			// 'passforge help NAME' prints the same usage on the standard output.
			code, stdout, _ = pf(t, fx.dir, "help", name)
			assert.Equal(t, exitOK, code)
			assert.Contains(t, stdout, "Usage: passforge "+name)

			cases, ok := e2eCases[name]
			if !ok {
				t.Errorf("no end-to-end cases for %q: add a success, a problem found (exit 1) and a usage error (exit 2) to e2eCases", name)
				return
			}
			codes := map[int]bool{}
			for _, c := range cases {
				codes[c.code] = true
				t.Run(fmt.Sprintf("exit%d", c.code), func(t *testing.T) {
					code, stdout, stderr := pf(t, fx.dir, append([]string{name}, c.args...)...)
					require.Equal(t, c.code, code, "passforge %s %s\nstdout:\n%s\nstderr:\n%s", name, strings.Join(c.args, " "), stdout, stderr)
					if c.code == exitOK {
						assert.Contains(t, stdout, c.out)
					} else {
						assert.Contains(t, stderr+stdout, c.out)
					}
					if c.file == "" {
						return
					}
					if c.code == exitOK {
						assert.FileExists(t, filepath.Join(fx.dir, c.file))
					} else {
						assert.NoFileExists(t, filepath.Join(fx.dir, c.file))
					}
				})
			}
			assert.True(t, codes[exitOK] && codes[exitUsage], "%s: cases for exit 0 and exit 2", name)
			if name != "version" { // the only command that cannot find a problem
				assert.True(t, codes[exitProblems], "%s: a case for exit 1", name)
			}
		})
	}
	// Every case is for a registered command.
	var unknown []string
	for name := range e2eCases {
		if !contains(registered, name) {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	assert.Empty(t, unknown, "cases for commands the binary does not list")
}

// e2eJSONCases holds, for every subcommand, a run with --json and keys its JSON report must have (an empty
// list for a report that is an array).
var e2eJSONCases = map[string]struct {
	args []string
	code int
	keys []string
}{
	"new":     {[]string{"--json", "j.pass"}, exitOK, []string{"dir", "style", "placeholders", "files"}},
	"build":   {[]string{"--json", "--template", "design.pass", "--dev", "--set", "serialNumber=J", "--set", "name=Jo", "-o", "j.pkpass"}, exitOK, []string{"file", "serialNumber", "signer", "developmentCA"}},
	"sign":    {[]string{"--json", "--dev", "-o", "js.pkpass", "filled.pass"}, exitOK, []string{"file", "serialNumber", "bytes", "developmentCA"}},
	"verify":  {[]string{"--json", "ada.pkpass"}, exitProblems, []string{"file", "ok", "problems"}},
	"lint":    {[]string{"--json", "broken.json"}, exitProblems, nil},
	"inspect": {[]string{"--json", "--roots", "ada-ca.pem", "ada.pkpass"}, exitOK, []string{"file", "style", "fields", "files", "signer", "verified"}},
	"preview": {[]string{"--json", "-o", "j.png", "ada.pkpass"}, exitOK, []string{"file", "style", "width", "height", "scale"}},
	"barcode": {[]string{"--json", "--format", "qr", "-o", "j.png", "J"}, exitOK, []string{"file", "format", "image", "columns", "rows", "bytes"}},
	"bulk":    {[]string{"--json", "--template", "design.pass", "--dev", "--values", "badrow.csv", "-o", "jbulk"}, exitProblems, []string{"output", "issued", "failed", "failures", "developmentCA"}},
	"bench":   {[]string{"--json", "--template", "design.pass", "--dev", "-n", "2", "--workers", "1"}, exitOK, []string{"passes", "passesPerSecond", "elapsedSeconds", "workers"}},
	"version": {[]string{"--json"}, exitOK, []string{"version", "goVersion", "platform"}},
}

// TestE2EJSON runs every command with --json: the standard output is one JSON value (and nothing else) with the
// keys a program reads, whatever the exit status.
func TestE2EJSON(t *testing.T) {
	fx := newE2EFixture(t)
	for _, name := range e2eCommands(t) {
		t.Run(name, func(t *testing.T) {
			c, ok := e2eJSONCases[name]
			if !ok {
				t.Fatalf("no --json case for %q: every command prints a JSON report with --json", name)
			}
			code, stdout, stderr := pf(t, fx.dir, append([]string{name}, c.args...)...)
			require.Equal(t, c.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			var v any
			require.NoError(t, json.Unmarshal([]byte(stdout), &v), "stdout is one JSON value:\n%s", stdout)
			if c.keys == nil {
				assert.IsType(t, []any{}, v)
				return
			}
			obj, ok := v.(map[string]any)
			require.True(t, ok, "a JSON object: %s", stdout)
			for _, k := range c.keys {
				assert.Contains(t, obj, k)
			}
		})
	}
	// The bulk report names the failed row and why, as the text output does.
	code, stdout, _ := pf(t, fx.dir, "bulk", "--json", "--template", "design.pass", "--dev", "--values", "badrow.csv", "-o", "jbulk2")
	require.Equal(t, exitProblems, code)
	var r bulkReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	assert.Equal(t, 1, r.Issued)
	require.Len(t, r.Failures, 1)
	assert.Equal(t, 2, r.Failures[0].Row)
	assert.Equal(t, "M-2", r.Failures[0].SerialNumber)
	assert.Contains(t, r.Failures[0].Error, "backgroundColor")
}

// longSingleDash finds a long flag spelled with one dash (-template) in usage text; -o, -n and -h are short.
// A default value in the flag list such as (default "-") is not a flag.
var longSingleDash = regexp.MustCompile(`(^|[\s\[(|])-[a-z][a-z0-9]+(-[a-z0-9]+)*\b`)

// TestUsageConsistent checks the usage text and flag list of every command: long flags spelled with two dashes, --json and the exit codes documented, the identity flags
// of a command that signs named the same way, an example, and main's usage listing the command.
func TestUsageConsistent(t *testing.T) {
	var mainUsage bytes.Buffer
	require.Equal(t, exitOK, run([]string{"-h"}, strings.NewReader(""), &mainUsage, io.Discard))
	for _, name := range sortedCommands() {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			require.Equal(t, exitOK, run([]string{name, "-h"}, strings.NewReader(""), &stdout, &stderr))
			assert.Empty(t, stderr.String(), "-h writes on the standard output: help asked for is the output")
			text, flags, ok := strings.Cut(stdout.String(), "\nFlags:\n")
			require.True(t, ok, "the usage ends with Flags:")
			assert.Empty(t, longSingleDash.FindAllString(stdout.String(), -1), "long flags are spelled --flag in the usage and the flag list")
			assert.Contains(t, text, "[--json]")
			assert.Regexp(t, `(?m)^  --json$`, flags)
			flat := strings.Join(strings.Fields(text), " ")
			assert.Contains(t, flat, "Exit status: 0")
			assert.Contains(t, flat, "2 on usage errors")
			if strings.Contains(flags, "-p12") {
				assert.Contains(t, text, "[--p12 FILE | --cert PEM --key PEM | --dev] [--wwdr PEM]")
				for _, f := range []string{"-cert", "-key", "-dev", "-wwdr"} {
					assert.Contains(t, flags, f)
				}
				if !identityWithoutSigning[name] {
					assert.Contains(t, flags, "-sha1", "a command that signs offers --sha1")
				}
			}
			assert.Regexp(t, `(?m)^  passforge `+name+`\b`, text, "an example")
			assert.Regexp(t, `(?m)^  `+name+` +\S`, mainUsage.String(), "main usage lists the command")
		})
	}
}

func TestE2EDispatch(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args   []string
		code   int
		stdout *regexp.Regexp
		stderr string
	}{
		{nil, exitUsage, regexp.MustCompile(`^$`), "Usage: passforge <command>"},
		{[]string{"-h"}, exitOK, regexp.MustCompile(`Exit codes: 0 ok, 1 problems found`), ""},
		{[]string{"help"}, exitOK, regexp.MustCompile(`Get started:`), ""},
		{[]string{"frobnicate"}, exitUsage, regexp.MustCompile(`^$`), "passforge: unknown command \"frobnicate\"\nRun 'passforge -h' for usage.\n"},
		{[]string{"help", "frobnicate"}, exitUsage, regexp.MustCompile(`^$`), "passforge help: unknown command \"frobnicate\"\nRun 'passforge -h' for usage.\n"},
		{[]string{"--version"}, exitOK, regexp.MustCompile(`^passforge (\(devel\)|v\S+)( commit [0-9a-f]+(, modified)?(, \S+)?)? \(go1\.\d+\S*, \w+/\w+\)\n$`), ""},
		{[]string{"version", "--json"}, exitOK, regexp.MustCompile(`"goVersion": "go1\.`), ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := pf(t, dir, tc.args...)
			assert.Equal(t, tc.code, code)
			assert.Regexp(t, tc.stdout, stdout)
			assert.Contains(t, stderr, tc.stderr)
			if strings.HasSuffix(tc.stderr, "for usage.\n") {
				assert.Equal(t, tc.stderr, stderr, "one line and the hint, not the whole usage")
			}
		})
	}
}

// TestE2EInstallable checks what 'go install github.com/passforge/passforge/cmd/passforge@latest' needs of the
// module: its path, no replace or exclude directive (which go install of a remote module refuses), and a
// dependency graph that builds without cgo (on a machine without a C compiler), every package of it resolved by
// go.mod and go.sum as they are.
func TestE2EInstallable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^module github\.com/passforge/passforge$`, string(data))
	assert.NotRegexp(t, `(?m)^\s*(replace|exclude)\b`, string(data))

	list := exec.Command("go", "list", "-mod=readonly", "-deps", "-e",
		"-f", `{{if or .Error .DepsErrors}}{{.ImportPath}}: {{.Error}} {{.DepsErrors}}{{"\n"}}{{end}}`, ".")
	list.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := list.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Empty(t, string(out), "packages that do not build with CGO_ENABLED=0")
}
