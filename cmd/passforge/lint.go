package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
)

func init() {
	register(&command{
		name:    "lint",
		summary: "check a pass.json, pass folder or .pkpass the way Wallet does",
		run:     runLint,
	})
}

// lintPkpassRule is the rule lint reports archive and signature problems of a .pkpass under; they come from
// sign.Read rather than pass.Validate.
const lintPkpassRule = "pkpass"

// lintProblem is one line of lint's output: a pass.Problem with the hint of its rule.
type lintProblem struct {
	Severity pass.Severity `json:"severity"`
	Rule     string        `json:"rule"`
	Path     string        `json:"path"`
	Message  string        `json:"message"`
	Hint     string        `json:"hint,omitempty"`
}

const lintUsage = `Usage: passforge lint [--roots PEM] [--json] PATH
       passforge lint --template [--json] DIR|pass.json
       passforge lint --rules [--json]

Checks a pass the way Wallet does and prints every problem with its severity,
rule, JSON path (or file), message and what to do. PATH is a pass.json file, a
pass folder (pass.json, images, <lang>.lproj folders) or a signed .pkpass.
A pass.json alone is checked without its files (icon, images, localizations).
A .pkpass is verified too (archive, manifest, signature, chain); --roots
trusts the roots of a development identity (the OUT-ca.pem of --dev).

Exit status: 0 when there are no errors (warnings allowed), 1 when there are
errors or PATH (or the --roots file) cannot be read, 2 on usage errors.

--template checks a template design (what 'passforge new' makes and 'build
--template' fills) instead of a pass: its {{placeholders}} are filled per pass,
so they and the problems of the strings that hold them are not reported.
Without it, a placeholder left in a pass is an error (unreplaced-placeholder).

--rules lists every rule with what it checks and what to do instead.

Example:
  passforge lint card.pass
  passforge lint --template design.pass
  passforge lint --json pass.json
  passforge lint --rules

Flags:
`

func runLint(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("lint", lintUsage, stderr)
	asJSON := fs.Bool("json", false, "print the problems as a JSON array")
	roots := addRootsFlag(fs)
	listRules := fs.Bool("rules", false, "list the rules instead of checking a pass")
	design := fs.Bool("template", false, "check PATH as a template design: placeholders are not problems")
	paths, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	if *listRules {
		if len(paths) != 0 {
			return usageError(fs, "--rules takes no PATH")
		}
		return lintRules(stdout, stderr, *asJSON)
	}
	if len(paths) != 1 {
		return usageError(fs, "want exactly one PATH, got %d", len(paths))
	}
	path := paths[0]
	opts, err := verifyOptions(*roots)
	if err != nil {
		return failure(stderr, "lint", err)
	}
	lint := lintPath
	if *design {
		if strings.HasSuffix(strings.ToLower(path), ".pkpass") {
			return usageError(fs, "--template checks a template folder or pass.json, not a signed .pkpass")
		}
		lint = lintDesignPath
	}
	problems, err := lint(path, opts)
	if err != nil {
		return failure(stderr, "lint", err)
	}
	errs := 0
	for _, p := range problems {
		if p.Severity != pass.SeverityWarning {
			errs++
		}
	}
	if *asJSON {
		if problems == nil {
			problems = []lintProblem{}
		}
		if err := printJSON(stdout, problems); err != nil {
			return failure(stderr, "lint", err)
		}
	} else {
		lintPrint(stdout, path, problems, errs)
	}
	if errs > 0 {
		return exitProblems
	}
	return exitOK
}

// lintReadFile reads a file of at most limit bytes.
func lintReadFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, limit)
	}
	return data, nil
}

// lintPath reads the pass at path and returns its problems. The error is about reading, not about the pass.
func lintPath(path string, opts *sign.VerifyOptions) ([]lintProblem, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	var (
		p      *pass.Pass
		assets *pass.Assets
		extra  []lintProblem
	)
	if !info.IsDir() && strings.HasSuffix(strings.ToLower(path), ".pkpass") {
		p, assets, extra, err = lintReadPkpass(path, opts)
		if err != nil {
			return nil, err
		}
		if p == nil {
			return extra, nil
		}
	} else if p, assets, err = lintLoadSource(path, info.IsDir()); err != nil {
		return nil, err
	}
	var problems []lintProblem
	var ve *pass.ValidationError
	if err := p.Validate(assets); errors.As(err, &ve) {
		problems = lintProblems(ve.Problems)
	} else if err != nil {
		return nil, err
	}
	return append(problems, extra...), nil
}

// lintDesignPath reads the template design at path (a folder or a pass.json) and returns its problems as package
// template judges a design: the strings that hold placeholders are left out, since every pass fills them.
func lintDesignPath(path string, _ *sign.VerifyOptions) ([]lintProblem, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	p, assets, err := lintLoadSource(path, info.IsDir())
	if err != nil {
		return nil, err
	}
	var found []pass.Problem
	tp, err := template.New(p, assets)
	var ve *pass.ValidationError
	switch {
	case errors.As(err, &ve):
		found = ve.Problems
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, err)
	default:
		found = tp.Warnings()
	}
	return lintProblems(found), nil
}

// lintLoadSource reads a pass's source: a folder (pass.json and its images) when dir is true, else a pass.json
// file. Errors from package pass are prefixed with path.
func lintLoadSource(path string, dir bool) (*pass.Pass, *pass.Assets, error) {
	if dir {
		p, assets, err := pass.Load(os.DirFS(path))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return p, assets, nil
	}
	data, err := lintReadFile(path, pass.MaxPassJSONSize)
	if err != nil {
		return nil, nil, err
	}
	p, err := pass.Parse(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil, nil
}

// lintProblems turns package pass's problems into lint's, each with its rule's hint; none gives nil.
func lintProblems(found []pass.Problem) []lintProblem {
	var problems []lintProblem
	for _, pr := range found {
		lp := lintProblem{Severity: pr.Severity, Rule: pr.Rule, Path: pr.Path, Message: pr.Message}
		if r, ok := pass.RuleByID(pr.Rule); ok {
			lp.Hint = r.Hint
		}
		problems = append(problems, lp)
	}
	return problems
}

// lintReadPkpass reads and verifies a .pkpass with package sign. Archive and signature problems come back as
// lint problems; p is nil when pass.json could not be read.
func lintReadPkpass(path string, opts *sign.VerifyOptions) (*pass.Pass, *pass.Assets, []lintProblem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, nil, err
	}
	// Wallet judges the chain at the signature's signing time: a certificate that expired since is a warning.
	atSigning := sign.VerifyOptions{}
	if opts != nil {
		atSigning = *opts
	}
	atSigning.AtSigningTime = true
	pkg, err := sign.Read(f, info.Size(), &atSigning)
	var problems []lintProblem
	var ve *sign.VerifyError
	switch {
	case errors.As(err, &ve):
		for _, e := range ve.Problems {
			problems = append(problems, lintProblem{Severity: pass.SeverityError, Rule: lintPkpassRule, Path: "", Message: e.Error(),
				Hint: "Rebuild and re-sign the pass with passforge sign; Wallet rejects a .pkpass that does not verify."})
		}
	case err != nil:
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, w := range pkg.ExpiredSinceSigning(time.Now()) {
		problems = append(problems, lintProblem{Severity: pass.SeverityWarning, Rule: lintPkpassRule, Message: w,
			Hint: "Renew the certificate before signing new passes; passes already issued keep installing."})
	}
	if pkg == nil {
		if len(problems) == 0 {
			return nil, nil, nil, fmt.Errorf("%s: not a readable .pkpass", path)
		}
		return nil, nil, problems, nil
	}
	return pkg.Pass, pkg.Assets, problems, nil
}

// lintPrint writes the human-readable report.
func lintPrint(w io.Writer, path string, problems []lintProblem, errs int) {
	for _, p := range problems {
		where := p.Path
		if where == "" {
			where = "(pass)"
		}
		fmt.Fprintf(w, "%-7s %s: %s [%s]\n", p.Severity, safe(where), safe(p.Message), safe(p.Rule))
		if p.Hint != "" {
			fmt.Fprintf(w, "        hint: %s\n", p.Hint)
		}
	}
	warns := len(problems) - errs
	switch {
	case len(problems) == 0:
		fmt.Fprintf(w, "%s: no problems\n", safe(path))
	case errs == 0:
		fmt.Fprintf(w, "%s: %s; Wallet accepts the pass\n", safe(path), lintCount(warns, "warning"))
	default:
		fmt.Fprintf(w, "%s: %s, %s; Wallet rejects the pass\n", safe(path), lintCount(errs, "error"), lintCount(warns, "warning"))
	}
}

func lintCount(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// lintRules prints pass.Rules().
func lintRules(stdout, stderr io.Writer, asJSON bool) int {
	if asJSON {
		if err := printJSON(stdout, pass.Rules()); err != nil {
			return failure(stderr, "lint", err)
		}
		return exitOK
	}
	for _, r := range pass.Rules() {
		fmt.Fprintf(stdout, "%s\n    %s\n    hint: %s\n", r.ID, r.Description, r.Hint)
	}
	return exitOK
}
