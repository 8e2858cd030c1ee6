package main

import (
	"bytes"
	"crypto"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs "passforge args..." in-process and returns its exit code and outputs.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// runCommand runs "passforge name args..." in-process.
func runCommand(t *testing.T, name string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLI(t, append([]string{name}, args...)...)
}

// cliCase is one run of a command in a table test: its arguments, the exit code it must return and a text its
// output must contain (the standard error's, unless the exit code is 0).
type cliCase struct {
	name string
	args []string
	code int
	want string
}

// runCLICases runs every case as "passforge command args..." in a subtest and checks its exit code and output,
// then calls check (if not nil) for what the command must have left behind.
func runCLICases(t *testing.T, command string, cases []cliCase, check func(t *testing.T)) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCommand(t, command, c.args...)
			require.Equal(t, c.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			if code == exitOK {
				assert.Contains(t, stdout+stderr, c.want)
			} else {
				assert.Contains(t, stderr, c.want)
			}
			if check != nil {
				check(t)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		positional []string
		code       int
		done       bool
		stderr     string
	}{
		{"flags around arguments", []string{"a", "--x", "1", "b"}, []string{"a", "b"}, exitOK, false, ""},
		{"after --", []string{"--x", "1", "--", "--y"}, []string{"--y"}, exitOK, false, ""},
		{"help", []string{"-h"}, nil, exitOK, true, ""},
		{"unknown flag", []string{"--y"}, nil, exitUsage, true, "passforge t: flag provided but not defined: -y\nRun 'passforge t -h' for usage.\n"},
		{"bad value", []string{"--n", "x"}, nil, exitUsage, true, "passforge t: invalid value \"x\" for flag -n: parse error\nRun 'passforge t -h' for usage.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			fs := newFlagSet("t", "Usage: passforge t X\n\nFlags:\n", &commandStderr{Writer: &stderr, stdout: &stdout})
			fs.String("x", "", "a flag")
			fs.Int("n", 0, "a number")
			positional, code, done := parseFlags(fs, tc.args)
			assert.Equal(t, tc.positional, positional)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.done, done)
			assert.Equal(t, tc.stderr, stderr.String())
			if tc.code == exitOK && tc.done {
				assert.True(t, strings.HasPrefix(stdout.String(), "Usage: passforge t X\n\nFlags:\n  -n int"), "the usage, then the flags, on stdout:\n%s", stdout.String())
			} else {
				assert.Empty(t, stdout.String())
			}
		})
	}
}

func TestUsageErrorAndFailure(t *testing.T) {
	var stderr bytes.Buffer
	fs := newFlagSet("t", "Usage: passforge t\n", &stderr)
	assert.Equal(t, exitUsage, usageError(fs, "want %d, got %q", 1, "two"))
	assert.Equal(t, "passforge t: want 1, got \"two\"\nRun 'passforge t -h' for usage.\n", stderr.String())

	stderr.Reset()
	assert.Equal(t, exitProblems, failure(&stderr, "t", errors.New("no such file")))
	assert.Equal(t, "passforge t: no such file\n", stderr.String())
}

func TestWriteOutput(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	require.NoError(t, writeOutput("-", &stdout, []byte("image")))
	assert.Equal(t, "image", stdout.String())

	name := filepath.Join(dir, "out.png")
	require.NoError(t, writeOutput(name, &stdout, []byte("file")))
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	assert.Equal(t, "file", string(data))
	assert.Equal(t, "image", stdout.String(), "a file is not echoed")

	// A folder that does not exist: an error, and nothing left behind.
	missing := filepath.Join(dir, "missing", "out.png")
	err = writeOutput(missing, &stdout, []byte("x"))
	require.Error(t, err)
	assert.Equal(t, "cannot write "+missing+": no such file or directory", err.Error(), "names the file asked for, not the temporary one")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1)

	// A folder in the way: said plainly, and the folder is left alone.
	err = writeOutput(dir, &stdout, []byte("x"))
	require.Error(t, err)
	assert.Equal(t, "cannot write "+dir+": it is a folder, not a file", err.Error())
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1)

	assert.ErrorContains(t, writeOutput("-", failingWriter{}, []byte("x")), "writing the standard output")
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

func TestVerifyOptions(t *testing.T) {
	opts, err := verifyOptions("")
	require.NoError(t, err)
	assert.Nil(t, opts.Roots, "the embedded Apple Root CA")

	_, _, _, roots := bulkIdentityFiles(t)
	opts, err = verifyOptions(roots)
	require.NoError(t, err)
	assert.NotNil(t, opts.Roots)

	_, err = verifyOptions(filepath.Join(t.TempDir(), "nope.pem"))
	assert.ErrorContains(t, err, "--roots")
}

func TestSignFlags(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	f := addSignFlags(fs, true)
	require.NoError(t, fs.Parse([]string{"--sha1", "--allow-invalid"}))
	opts := f.options()
	assert.Equal(t, crypto.SHA1, opts.Digest)
	assert.True(t, opts.AllowInvalid)

	fs = flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	f = addSignFlags(fs, false)
	assert.Error(t, fs.Parse([]string{"--allow-invalid"}), "bulk and bench do not sign invalid passes")
	assert.Equal(t, crypto.Hash(0), f.options().Digest, "the default digest of package sign")
}

func TestDevelopmentCAFile(t *testing.T) {
	assert.Equal(t, "out/jane-ca.pem", developmentCAFile("out/jane.pkpass"))
	assert.Equal(t, "jane-ca.pem", developmentCAFile("jane"))

	f := &identityFlags{}
	name, err := f.saveDevelopmentCA(filepath.Join(t.TempDir(), "x-ca.pem"))
	require.NoError(t, err)
	assert.Empty(t, name, "nothing to save without --dev")
}

func TestIsTerminalSeesThroughCommandStderr(t *testing.T) {
	// run hands commands a *commandStderr; bulk's progress bar must still see the terminal behind it.
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer f.Close()
	if !isTerminal(f) {
		t.Skip(os.DevNull + " is not a character device here")
	}
	assert.True(t, isTerminal(&commandStderr{Writer: f, stdout: io.Discard}))
	assert.False(t, isTerminal(&commandStderr{Writer: &bytes.Buffer{}, stdout: f}))
}
