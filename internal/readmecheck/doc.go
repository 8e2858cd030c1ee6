// Package readmecheck holds the test that keeps the README's code snippets true: every Go snippet in README.md
// that is marked with an example comment must be, line for line, the body of that compiled Example function, so
// the README never shows code that does not build or no longer works.
package readmecheck
