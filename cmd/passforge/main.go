// Command passforge builds, signs, verifies and inspects Apple Wallet passes.
//
// Each subcommand lives in its own file and registers itself with register in
// an init function, so subcommands can be added without touching this file.
//
// Exit codes: 0 when the command succeeded and found no problems, 1 when it
// found problems (or failed), 2 on usage errors.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
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
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches args to a subcommand and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "passforge: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "passforge builds, signs, verifies and inspects Apple Wallet passes.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: passforge <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'passforge <command> -h' for a command's flags and an example.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 problems found, 2 usage error.")
}
