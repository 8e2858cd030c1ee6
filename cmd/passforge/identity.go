package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/passforge/passforge/sign"
)

// Environment variables holding the passwords of signing identities, so that
// they never appear on a command line or in a shell history.
const (
	envP12Password = "PASSFORGE_P12_PASSWORD"
	envKeyPassword = "PASSFORGE_KEY_PASSWORD"
)

// maxIdentityFile bounds the identity files read from disk.
const maxIdentityFile = 1 << 20

// identityFlags are the flags shared by every command that signs:
// --p12 FILE, --cert PEM --key PEM, --dev and --wwdr PEM.
type identityFlags struct {
	p12, cert, key, wwdr string
	dev                  bool
	// getenv reads the password variables; os.Getenv unless a test sets it.
	getenv func(string) string
	// devIdentity is set by load when --dev is used, so that the command
	// can save the development CA next to its output.
	devIdentity *sign.DevelopmentIdentity
}

// identityUsageError is an identity flag combination that is a usage error
// (exit status 2) rather than a bad identity file.
type identityUsageError string

func (e identityUsageError) Error() string { return string(e) }

// isIdentityUsage reports whether err is an identityUsageError.
func isIdentityUsage(err error) bool {
	var u identityUsageError
	return errors.As(err, &u)
}

// addIdentityFlags registers the identity flags on fs.
func addIdentityFlags(fs *flag.FlagSet) *identityFlags {
	f := &identityFlags{getenv: os.Getenv}
	fs.StringVar(&f.p12, "p12", "", "sign with this .p12 file (password from $"+envP12Password+")")
	fs.StringVar(&f.cert, "cert", "", "sign with this PEM certificate (and intermediates); needs --key")
	fs.StringVar(&f.key, "key", "", "PEM private key for --cert (password, if encrypted, from $"+envKeyPassword+")")
	fs.BoolVar(&f.dev, "dev", false, "sign with a throwaway development identity (Wallet does not accept it)")
	fs.StringVar(&f.wwdr, "wwdr", "", "PEM intermediate certificate(s) to include instead of the embedded Apple WWDR G4")
	return f
}

// load returns the identity the flags name. passTypeID and teamID are the
// identifiers a development identity is issued for. Errors for which
// isIdentityUsage is true are usage errors.
func (f *identityFlags) load(passTypeID, teamID string) (*sign.Identity, error) {
	n := 0
	for _, set := range []bool{f.p12 != "", f.cert != "" || f.key != "", f.dev} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, identityUsageError("choose exactly one identity: --p12 FILE, --cert PEM --key PEM, or --dev")
	}
	var id *sign.Identity
	switch {
	case f.p12 != "":
		data, err := readIdentityFile("--p12", f.p12)
		if err != nil {
			return nil, err
		}
		if id, err = sign.LoadP12(data, f.getenv(envP12Password)); err != nil {
			if errors.Is(err, sign.ErrWrongPassword) && f.getenv(envP12Password) == "" {
				return nil, fmt.Errorf("--p12 %s: %w (set $%s)", f.p12, err, envP12Password)
			}
			return nil, fmt.Errorf("--p12 %s: %w", f.p12, err)
		}
	case f.cert != "" || f.key != "":
		if f.cert == "" || f.key == "" {
			return nil, identityUsageError("--cert and --key go together")
		}
		certPEM, err := readIdentityFile("--cert", f.cert)
		if err != nil {
			return nil, err
		}
		keyPEM, err := readIdentityFile("--key", f.key)
		if err != nil {
			return nil, err
		}
		if id, err = sign.LoadPEM(certPEM, keyPEM, []byte(f.getenv(envKeyPassword))); err != nil {
			return nil, fmt.Errorf("--cert %s --key %s: %w", f.cert, f.key, err)
		}
	default:
		if passTypeID == "" || teamID == "" {
			return nil, fmt.Errorf("--dev: the pass needs a passTypeIdentifier and a teamIdentifier to issue a development certificate for")
		}
		dev, err := sign.NewDevelopmentIdentity(passTypeID, teamID)
		if err != nil {
			return nil, err
		}
		f.devIdentity = dev
		id = dev.Identity
	}
	if f.wwdr != "" {
		if f.dev {
			return nil, identityUsageError("--wwdr cannot be combined with --dev")
		}
		data, err := readIdentityFile("--wwdr", f.wwdr)
		if err != nil {
			return nil, err
		}
		chain, err := sign.ParseCertificatesPEM(data)
		if err != nil {
			return nil, fmt.Errorf("--wwdr %s: %w", f.wwdr, err)
		}
		id.Chain = chain
	}
	return id, nil
}

func readIdentityFile(flagName, name string) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagName, err)
	}
	if fi.Size() > maxIdentityFile {
		return nil, fmt.Errorf("%s %s: larger than %d bytes", flagName, name, maxIdentityFile)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagName, err)
	}
	return data, nil
}

// parseInterspersed parses fs over args, allowing flags after positional
// arguments (passforge sign FOLDER -o OUT), and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// writeFileAtomic writes a file through write into a temporary file in the
// same folder and renames it into place, so that a failure never leaves a
// partial file behind.
func writeFileAtomic(name string, write func(*os.File) error) (err error) {
	dir, base := ".", name
	for i := len(name) - 1; i >= 0; i-- {
		if os.IsPathSeparator(name[i]) {
			dir, base = name[:i+1], name[i+1:]
			break
		}
	}
	if fi, err := os.Stat(name); err == nil && fi.IsDir() {
		return fmt.Errorf("cannot write %s: it is a folder, not a file", name)
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name means nothing to the user
		}
		return fmt.Errorf("cannot write %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// developmentCAFile names the file the development CA of a --dev identity is saved to next to the .pkpass
// out: OUT-ca.pem, for 'passforge verify --roots'.
func developmentCAFile(out string) string {
	return strings.TrimSuffix(out, ".pkpass") + "-ca.pem"
}

// saveDevelopmentCA saves the CA of the development identity (when --dev was used) as caFile, for 'passforge
// verify --roots', and returns its name; it returns "" without --dev.
func (f *identityFlags) saveDevelopmentCA(caFile string) (string, error) {
	if f.devIdentity == nil {
		return "", nil
	}
	if err := writeFileAtomic(caFile, func(file *os.File) error {
		_, err := file.Write(f.devIdentity.CAPEM())
		return err
	}); err != nil {
		return "", fmt.Errorf("saving the development CA: %w", err)
	}
	return caFile, nil
}
