// Package placeholder holds the syntax of template placeholders, {{name}},
// shared by the template package, which fills them, and pass.Validate, which
// reports one left unfilled in a pass about to be signed.
//
// A placeholder is "{{", optional white space, a name of 1 to 128 ASCII letters,
// digits, '_', '-' and '.', optional white space, then "}}". Any other text between
// double braces is not a placeholder.
package placeholder
