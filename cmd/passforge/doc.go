// Command passforge builds, signs, verifies, lints, inspects and previews Apple Wallet passes, issues them
// in bulk from a template, and keeps them up to date: it runs the update service (serve), sends the APNs pushes
// that tell devices a pass changed (push) and checks any pass web service as a Wallet device would
// (check-service).
//
// Install it from a checkout with
//
//	go install ./cmd/passforge
//
// (go install github.com/passforge/passforge/cmd/passforge@latest works once a version is tagged.)
//
// A first session, with a throwaway development identity that Wallet does not accept but that every command
// checks like a real one:
//
//	passforge new --style storeCard card.pass
//	passforge lint --template card.pass
//	passforge build --template card.pass --dev --set serialNumber=0001 --set name="Jane Appleseed" -o jane.pkpass
//	passforge verify --roots jane-ca.pem jane.pkpass
//	passforge inspect --roots jane-ca.pem jane.pkpass
//	passforge preview -o front.png jane.pkpass
//
// The commands:
//
//	new       scaffold a template folder for a style (pass.json with a {{name}} placeholder, images, pass.strings)
//	build     one signed .pkpass from a template and values (--values FILE.json or --set KEY=VALUE)
//	bulk      one signed .pkpass per row of a CSV or JSON Lines file, on every core
//	sign      a pass folder into a signed .pkpass
//	verify    a .pkpass: archive, manifest, signature, chain, identifiers
//	lint      a pass.json, pass folder or .pkpass, the way Wallet judges it, with the rule and what to do
//	inspect   what a .pkpass holds
//	preview   a PNG picture of a pass's front
//	barcode   a Wallet barcode as PNG or SVG
//	bench     passes per second from a template
//	serve     the self-hosted pass update service: Wallet web service, admin API, APNs pushes, on SQLite or PostgreSQL
//	push      tell devices that a pass changed: one APNs push per device token
//	check-service  a pass web service checked against the protocol by simulated Wallet devices
//	version   the module and Go versions (also passforge --version)
//
// Every command prints its flags and an example with -h (or passforge help COMMAND). Commands that sign (build,
// bulk, bench, sign) take the same identity flags: --p12 FILE with the password in $PASSFORGE_P12_PASSWORD,
// --cert PEM --key PEM (an encrypted key's password in $PASSFORGE_KEY_PASSWORD), or --dev; --wwdr PEM replaces
// the embedded Apple WWDR intermediate; --sha1 signs with a SHA-1 digest. With --dev, the development CA is saved
// next to the output (OUT-ca.pem, or OUTDIR/dev-ca.pem for bulk) for verify --roots. Commands that read a
// .pkpass (verify, lint, inspect, preview) take --roots PEM. Every command prints a JSON report with --json:
// what was written (new, build, sign, barcode, preview), what was found (verify, lint, inspect), the summary of
// a run (bulk, with the failed rows and their reasons; bench, with the rate) or the version. Files, profiles
// included, are written through a temporary file renamed into place, never partially.
//
// Exit codes, the same for every command: 0 when the command succeeded and found no problems, 1 when it found
// problems (or failed), 2 on usage errors (unknown command or flag, missing argument); -h exits 0.
//
// Each subcommand lives in its own file and registers itself with register in an init function, so subcommands
// can be added without touching main.go.
package main
