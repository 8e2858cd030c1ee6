package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0
	exitProblems = 1
	exitUsage    = 2
)

// command is one passforge subcommand.
type command struct {
	name    string // as typed on the command line
	summary string // one line for the command list
	// run executes the command with the arguments after its name. It writes
	// results to stdout and diagnostics to stderr and returns an exit code.
	run func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands = map[string]*command{}

// register adds c to the command table; it is called from init functions.
func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("passforge: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func main() {
	if len(os.Args) > 1 && readsUntrustedPass[os.Args[1]] && os.Getenv("GOMEMLIMIT") == "" {
		// A hostile .pkpass may hold up to the reader's limits (a 4 MiB pass.json, 32 MiB of files); with
		// the garbage collector's default target, parsing the largest doubles the heap before it collects.
		// A soft limit keeps these commands under 64 MB for every input the reader accepts.
		debug.SetMemoryLimit(readMemoryLimit)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// readsUntrustedPass names the commands that read a .pkpass or pass.json someone else made.
var readsUntrustedPass = map[string]bool{"verify": true, "inspect": true, "lint": true, "preview": true}

// readMemoryLimit is the soft memory limit (runtime/debug.SetMemoryLimit) of the commands that read untrusted
// passes, unless GOMEMLIMIT sets one.
const readMemoryLimit = 40 << 20

// run dispatches args to a subcommand and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case "help":
		if len(args) == 2 {
			if c, ok := commands[args[1]]; ok {
				return c.run([]string{"-h"}, stdin, stdout, &commandStderr{Writer: stderr, stdout: stdout})
			}
		}
		if len(args) > 1 {
			fmt.Fprintf(stderr, "passforge help: unknown command %q\nRun 'passforge -h' for usage.\n", strings.Join(args[1:], " "))
			return exitUsage
		}
		usage(stdout)
		return exitOK
	case "-version", "--version":
		if len(args) > 1 {
			fmt.Fprintf(stderr, "passforge %s takes no arguments\n", args[0])
			return exitUsage
		}
		fmt.Fprintln(stdout, currentVersion())
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "passforge: unknown command %q\nRun 'passforge -h' for usage.\n", args[0])
		return exitUsage
	}
	return c.run(args[1:], stdin, stdout, &commandStderr{Writer: stderr, stdout: stdout})
}

// sortedCommands returns the names of the registered commands in order.
func sortedCommands() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "passforge builds, signs, verifies and inspects Apple Wallet passes.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: passforge <command> [flags] [arguments]")
	fmt.Fprintln(w, "       passforge --version")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, n := range sortedCommands() {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'passforge <command> -h' (or 'passforge help <command>') for a command's flags and an example.")
	fmt.Fprintln(w, "Signing commands (build, bulk, bench, sign) take the same identity flags: --p12 FILE (password from")
	fmt.Fprintln(w, "$"+envP12Password+"), --cert PEM --key PEM (key password from $"+envKeyPassword+"), or --dev for a")
	fmt.Fprintln(w, "throwaway development identity; --wwdr PEM replaces the embedded Apple WWDR intermediate. Commands that")
	fmt.Fprintln(w, "read a .pkpass (verify, lint, inspect, preview) take --roots PEM. Every command prints a JSON report")
	fmt.Fprintln(w, "with --json.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 problems found (or the command failed), 2 usage error.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Get started:")
	fmt.Fprintln(w, "  passforge new --style storeCard card.pass")
	fmt.Fprintln(w, "  passforge build --template card.pass --dev --set serialNumber=0001 --set name=\"Jane Appleseed\" -o jane.pkpass")
	fmt.Fprintln(w, "  passforge verify --roots jane-ca.pem jane.pkpass")
}
