package main

// Helpers every subcommand shares: the flag set and its usage, usage errors and failures, JSON output, writing
// an output file or the standard output, the --roots flag, and opening a design with its signing identity.

import (
	"bytes"
	"crypto"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/passforge/passforge/internal/termsafe"
	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
)

// commandStderr is the standard error run hands to a command. It carries the standard output too, so that
// newFlagSet, which every command calls with its stderr, can print help asked for with -h on the standard
// output without a change to the commands' calls.
type commandStderr struct {
	io.Writer
	stdout io.Writer
}

// newFlagSet returns the flag set of the command name. Its output is stderr, where parseFlags and usageError
// report usage errors in one line. Its Usage prints the help: the text usage (which ends with "Flags:"), then
// the flags, long ones spelled with two dashes as in the usage text (the flag package accepts both
// spellings). Help goes to the standard output when stderr is the one run gave the command, and to stderr
// otherwise.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	help := stderr
	if cs, ok := stderr.(*commandStderr); ok {
		help = cs.stdout
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		var defaults strings.Builder
		out := fs.Output()
		fs.SetOutput(&defaults)
		fs.PrintDefaults()
		fs.SetOutput(out)
		fmt.Fprint(help, usage)
		fmt.Fprint(help, longFlagLine.ReplaceAllString(defaults.String(), "  --$1"))
	}
	return fs
}

// longFlagLine matches the line of the flag package's defaults that names a flag of two or more letters.
var longFlagLine = regexp.MustCompile(`(?m)^  -([^\s-][^\s]+)`)

// parseFlags parses args with flags before, between or after the positional arguments and returns the
// positional ones. When parsing ends the command, done is true and code is the exit status: exitOK for -h
// (the help is printed), exitUsage for a flag error (reported like usageError, in one line and a hint).
func parseFlags(fs *flag.FlagSet, args []string) (positional []string, code int, done bool) {
	// The flag package prints its error and the whole usage itself; keep it quiet and report here.
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	positional, err := parseInterspersed(fs, args)
	fs.Usage = usage
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return nil, exitOK, true
	case err != nil:
		return nil, usageError(fs, "%v", err), true
	}
	return positional, exitOK, false
}

// usageError reports a usage error of the command of fs in one line, followed by where to find the usage,
// and returns exitUsage.
func usageError(fs *flag.FlagSet, format string, a ...any) int {
	fmt.Fprintf(fs.Output(), "passforge %s: %s\nRun 'passforge %s -h' for usage.\n", fs.Name(), fmt.Sprintf(format, a...), fs.Name())
	return exitUsage
}

// failure reports err of the command name on w, escaped for the terminal, and returns exitProblems.
func failure(w io.Writer, name string, err error) int {
	fmt.Fprintf(w, "passforge %s: %s\n", name, errorText(err))
	return exitProblems
}

// safe returns untrusted text (names inside an archive, manifest keys, pass.json strings, file names) with
// control characters, ANSI escape sequences and bidirectional overrides escaped, so that it cannot rewrite
// what the terminal shows, such as a forged "FILE: OK" line.
func safe(s string) string { return termsafe.Escape(s) }

// errorText returns the message of err for a terminal. The problems of a *sign.VerifyError or a
// *pass.ValidationError keep a line each; every line is escaped, so a line break inside untrusted text is
// shown as \n and cannot start a line of its own.
func errorText(err error) string {
	msg := err.Error()
	var verr *sign.VerifyError
	var ve *pass.ValidationError
	switch {
	case errors.As(err, &verr) && len(verr.Problems) > 0 && strings.HasSuffix(msg, verr.Error()):
		lines := []string{safe(strings.TrimSuffix(msg, verr.Error())) + safe(verr.Problems[0].Error())}
		for _, p := range verr.Problems[1:] {
			lines = append(lines, safe(p.Error()))
		}
		return strings.Join(lines, "\n")
	case errors.As(err, &ve) && len(ve.Problems) > 0 && strings.HasSuffix(msg, ve.Error()):
		head, _, _ := strings.Cut(msg, "\n\t")
		lines := []string{safe(head)}
		for _, p := range ve.Problems {
			lines = append(lines, "\t"+safe(p.String()))
		}
		return strings.Join(lines, "\n")
	}
	return safe(msg)
}

// printJSON writes v to w as indented JSON, the --json output of every command. Runes that a terminal acts
// on or hides and that encoding/json leaves as they are (C1 controls, bidirectional overrides) are written as
// \u escapes: the values decode the same.
func printJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(termsafe.EscapeJSON(b.Bytes()))
	return err
}

// writeOutput writes data to the file out through a temporary file renamed into place, or to stdout when out
// is "-".
func writeOutput(out string, stdout io.Writer, data []byte) error {
	if out == "-" {
		if _, err := stdout.Write(data); err != nil {
			return fmt.Errorf("writing the standard output: %w", err)
		}
		return nil
	}
	return writeFileAtomic(out, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// addRootsFlag registers --roots, the PEM file of trusted roots of the commands that read a .pkpass.
func addRootsFlag(fs *flag.FlagSet) *string {
	return fs.String("roots", "", "PEM file of trusted root certificates for a .pkpass, such as the OUT-ca.pem of --dev (default: the embedded Apple Root CA)")
}

// verifyOptions returns the options for reading a .pkpass, with the roots of the --roots file if one is named.
func verifyOptions(rootsFile string) (*sign.VerifyOptions, error) {
	opts := &sign.VerifyOptions{}
	if rootsFile != "" {
		pool, err := loadRootsPEM(rootsFile)
		if err != nil {
			return nil, err
		}
		opts.Roots = pool
	}
	return opts, nil
}

// openDesign opens the template at path for build, bulk and bench. When the design does not validate, its
// problems are printed on stderr.
func openDesign(path string, stderr io.Writer) (*template.Template, error) {
	tp, err := template.Open(path)
	if err != nil {
		var ve *pass.ValidationError
		if errors.As(err, &ve) {
			printProblems(stderr, ve)
		}
		return nil, err
	}
	return tp, nil
}

// loadIdentity loads the identity the flags name for passes of passTypeID and teamID and prints the warnings
// of its certificate (expiry soon, missing intermediate) on stderr. When it fails, the error is reported for
// the command name and code is its exit status: exitUsage for a wrong combination of identity flags,
// exitProblems for an identity that cannot be loaded.
func loadIdentity(f *identityFlags, passTypeID, teamID, name string, stderr io.Writer) (id *sign.Identity, code int, ok bool) {
	id, err := f.load(passTypeID, teamID)
	if err != nil {
		fmt.Fprintf(stderr, "passforge %s: %s\n", name, errorText(err))
		if isIdentityUsage(err) {
			return nil, exitUsage, false
		}
		return nil, exitProblems, false
	}
	for _, n := range id.Check(time.Now()) {
		fmt.Fprintf(stderr, "warning: %s\n", safe(fmt.Sprint(n)))
	}
	for _, w := range []string{id.IgnoredWarning(), id.ChainWarning()} {
		if w != "" {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
	}
	return id, exitOK, true
}

// addTemplateFlag registers --template, the design that build, bulk and bench fill.
func addTemplateFlag(fs *flag.FlagSet) *string {
	return fs.String("template", "", "the design: a pass folder (made by 'passforge new') or a .pkpass (required)")
}

// addWorkersFlag registers --workers, the passes bulk and bench issue at the same time.
func addWorkersFlag(fs *flag.FlagSet) *int {
	return fs.Int("workers", runtime.GOMAXPROCS(0), "passes issued at the same time")
}

// signFlags are the flags of the commands that sign, besides the identity: --sha1 and, for the commands that
// sign one pass, --allow-invalid.
type signFlags struct {
	sha1, allowInvalid bool
}

// addSignFlags registers --sha1 on fs, and --allow-invalid when allowInvalid is true.
func addSignFlags(fs *flag.FlagSet, allowInvalid bool) *signFlags {
	f := &signFlags{}
	fs.BoolVar(&f.sha1, "sha1", false, "use SHA-1 as the signature digest instead of SHA-256")
	if allowInvalid {
		fs.BoolVar(&f.allowInvalid, "allow-invalid", false, "sign even when validation reports errors")
	}
	return f
}

// options returns the signing options the flags ask for.
func (f *signFlags) options() *sign.Options {
	opts := &sign.Options{AllowInvalid: f.allowInvalid}
	if f.sha1 {
		opts.Digest = crypto.SHA1
	}
	return opts
}
