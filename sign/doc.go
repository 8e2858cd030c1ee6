// Package sign turns a validated pass into a signed .pkpass that Apple Wallet
// accepts, and reads and verifies any .pkpass.
//
// # Identities
//
// An Identity is a Pass Type ID certificate, the crypto.Signer holding its
// key (in memory, or in an HSM or KMS) and the intermediates included in
// every signature. Load one with LoadP12 (legacy RC2/3DES Keychain exports
// and OpenSSL 3 AES/PBES2 files), LoadPEM or LoadDER, or build one with
// NewIdentity. Apple WWDR G4 and Apple Root CA are embedded (AppleWWDRG4,
// AppleRootCA): WWDR G4 is the default chain of a certificate it issued.
// Loaders keep only the certificates of a file that form the signer's chain
// (Identity.Ignored lists the others). The identity reports its
// passTypeIdentifier (the certificate's UID), teamIdentifier (OU) and expiry;
// Identity.Check warns 30 days before the signer or WWDR certificate expires.
// NewDevelopmentIdentity makes a throwaway CA and certificate for tests and
// local trials; Wallet does not accept passes signed with it.
//
// # Writing
//
// Write checks that passTypeIdentifier and teamIdentifier match the
// certificate and that pass.Validate reports no errors, then streams the zip
// to an io.Writer: manifest.json (SHA-1 of every file, .lproj files included),
// signature (DER PKCS#7 SignedData, detached, with contentType, messageDigest
// and signingTime signed attributes, the signer and WWDR certificates,
// SHA-256 by default), and every file, sorted, with fixed timestamps, PNG
// images stored and text deflated. The same input and signing time (from
// Options.Now) give the same bytes.
//
// For bulk issuance, files can be prepared once with PrepareEntry (hashed and
// compressed) and passed to WriteEntries with a per-pass pass.json entry: per
// pass, only pass.json is encoded, and the single RSA signature dominates.
// A Signer (NewSigner) goes further: it builds the PKCS#7 container of an
// identity once and patches each signature into a copy (the same bytes as
// Signature), and its WriteEntries stores the small files made per pass
// (manifest.json, signature, and pass.json prepared with
// PrepareDynamicEntry) instead of deflating them. One function decides
// between stored and deflated; one minimal zip writer, checked against
// archive/zip, writes every archive.
//
// WriteBundle and ReadBundle handle .pkpasses bundles (at most 10 passes and
// 150 MB); MIMEType and BundleMIMEType are the media types.
//
// # Reading and verifying
//
// Read (and ReadBytes) accept any .pkpass, including passes made by other
// tools and years ago: zip limits and safe paths, the manifest's coverage and
// SHA-1s, pass.json through pass.Parse, the signature over manifest.json
// (signers by issuer and serial number or by subject key identifier, SHA-1 or
// SHA-256), the chain to Apple Root CA or the caller's roots at the time the
// caller chooses (now, a given time, or the signing time; the embedded Apple
// certificates are candidate intermediates whatever the roots, and
// Package.ExpiredSinceSigning names certificates that expired after the
// signature), and the signer's
// UID and OU against pass.json. Every problem is reported in a *VerifyError
// whose entries wrap sentinels such as ErrDigestMismatch, ErrChain or
// ErrIdentifierMismatch, for errors.Is.
package sign
