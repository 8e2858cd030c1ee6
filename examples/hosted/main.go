// Command hosted issues, updates and voids (or deletes) a pass through one of
// the hosted pass services passforge's clients speak to — Passmint, PassLite,
// Pass2U, Passinstance and RemyPass — and prints what it did. It runs each
// operation the provider offers: RemyPass documents only issuing, so for it
// the program issues and says so.
//
// Without -base-url it starts an in-memory fake of the five APIs on
// 127.0.0.1 and runs offline, so it works as is:
//
//	go run ./examples/hosted                    # Passmint, offline
//	go run ./examples/hosted -provider all      # the five in turn, offline
//
// Against a real service, give its base URL and your key (or set
// PASSFORGE_API_KEY, which keeps it out of your shell history; offline runs
// leave it unused and make test keys instead):
//
//	PASSFORGE_API_KEY=pmk_test_... go run ./examples/hosted -provider passmint -base-url https://api.passmint.com
//
// The ids each service needs have flags. Left empty, the template comes from
// the service's template list (Passmint, Passinstance) or is the example id of
// the provider's docs (PassLite, RemyPass), and PassLite's business comes from
// GET /businesses/me. The API key is never printed.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/pass2u"
	"github.com/passforge/passforge/client/passinstance"
	"github.com/passforge/passforge/client/passlite"
	"github.com/passforge/passforge/client/passmint"
	"github.com/passforge/passforge/client/remypass"
	"github.com/passforge/passforge/internal/providerfake"
)

// The example ids of the providers' docs, the defaults of the id flags.
const (
	docsPassLiteTemplate = "tpl_loyalty_gold"
	docsPass2UModel      = "1919"
	docsRemyPassMember   = "507f1f77bcf86cd799439011"
	docsRemyPassTemplate = "507f1f77bcf86cd799439012"
)

var providers = []string{"passmint", "passlite", "pass2u", "passinstance", "remypass"}

// config is what the flags say.
type config struct {
	baseURL  string
	apiKey   string
	template string
	model    string
	member   string
	business string
	timeout  time.Duration
}

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the whole program: it parses args, runs the chosen providers and
// returns the exit code (0 done, 1 a call failed, 2 bad usage).
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hosted", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: hosted [-provider NAME|all] [-base-url URL] [-api-key KEY] [id flags]")
		fmt.Fprintln(stderr, "example: PASSFORGE_API_KEY=pmk_test_... hosted -provider passmint -base-url https://api.passmint.com")
		fmt.Fprintln(stderr, "without -base-url it runs offline against an in-memory fake of the five services")
		fs.PrintDefaults()
	}
	provider := fs.String("provider", "passmint", "passmint, passlite, pass2u, passinstance, remypass, or all (offline only)")
	var c config
	fs.StringVar(&c.baseURL, "base-url", "", "the provider's API base URL, such as https://api.passmint.com; empty: start the offline fake")
	fs.StringVar(&c.apiKey, "api-key", "", "API key; default $PASSFORGE_API_KEY with -base-url, a generated test key offline")
	fs.StringVar(&c.template, "template", "", "template id; default: the first of the service's list (passmint, passinstance) or the docs' example id (passlite "+docsPassLiteTemplate+", remypass "+docsRemyPassTemplate+")")
	fs.StringVar(&c.model, "model", docsPass2UModel, "Pass2U model id")
	fs.StringVar(&c.member, "member", docsRemyPassMember, "RemyPass member _id")
	fs.StringVar(&c.business, "business", "", "PassLite business id; default: the key's business from GET /businesses/me")
	fs.DurationVar(&c.timeout, "timeout", time.Minute, "time allowed for all calls")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hosted: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	chosen := []string{*provider}
	switch {
	case *provider == "all":
		if c.baseURL != "" {
			fmt.Fprintln(stderr, "hosted: -provider all runs offline only: each service has its own -base-url")
			return 2
		}
		chosen = providers
	case !isProvider(*provider):
		fmt.Fprintf(stderr, "hosted: unknown -provider %q (want %s or all)\n", *provider, strings.Join(providers, ", "))
		return 2
	}
	// A real key from the environment is only sent to a real service: the
	// offline fake gets generated keys unless -api-key says otherwise.
	if c.apiKey == "" && c.baseURL != "" {
		c.apiKey = getenv("PASSFORGE_API_KEY")
	}
	if c.baseURL != "" && c.apiKey == "" {
		fmt.Fprintln(stderr, "hosted: an API key is needed with -base-url: give -api-key or set PASSFORGE_API_KEY")
		return 2
	}

	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	if err := hosted(ctx, chosen, c, stdout); err != nil {
		fmt.Fprintln(stderr, "hosted:", err)
		return 1
	}
	return 0
}

// hosted runs the chosen providers, against the fake when no base URL is set.
func hosted(ctx context.Context, chosen []string, c config, stdout io.Writer) error {
	keys := map[string]string{}
	baseURLs := map[string]string{}
	if c.baseURL == "" {
		// Offline: one fake serves the five APIs, each under its own path,
		// and accepts only the key each client is given.
		pinned := map[providerfake.Provider]string{}
		for _, name := range chosen {
			key := c.apiKey
			if key == "" {
				var err error
				if key, err = offlineKey(name); err != nil {
					return err
				}
			}
			keys[name] = key
			pinned[providerfake.Provider(name)] = key
		}
		srv, err := providerfake.Start("127.0.0.1:0", &providerfake.Options{Keys: pinned})
		if err != nil {
			return err
		}
		defer srv.Close()
		keyNote := "generated test keys"
		if c.apiKey != "" {
			keyNote = "the -api-key key"
		}
		fmt.Fprintf(stdout, "offline: no -base-url, so the calls go to an in-memory fake of the services at %s, with %s\n", srv.URL, keyNote)
		for _, name := range chosen {
			baseURLs[name] = srv.BaseURL(providerfake.Provider(name))
		}
	} else {
		keys[chosen[0]], baseURLs[chosen[0]] = c.apiKey, c.baseURL
	}

	for _, name := range chosen {
		fmt.Fprintf(stdout, "== %s at %s\n", name, baseURLs[name])
		opt := client.WithBaseURL(baseURLs[name])
		var err error
		switch name {
		case "passmint":
			err = runPassmint(ctx, keys[name], opt, c, stdout)
		case "passlite":
			err = runPassLite(ctx, keys[name], opt, c, stdout)
		case "pass2u":
			err = runPass2U(ctx, keys[name], opt, c, stdout)
		case "passinstance":
			err = runPassinstance(ctx, keys[name], opt, c, stdout)
		case "remypass":
			err = runRemyPass(ctx, keys[name], opt, c, stdout)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// runPassmint issues a pass from a template, changes a field and voids it.
func runPassmint(ctx context.Context, key string, opt client.Option, c config, out io.Writer) error {
	pm, err := passmint.New(key, opt)
	if err != nil {
		return err
	}
	tmpl := c.template
	if tmpl == "" {
		page, _, err := pm.Templates.List(ctx, &passmint.TemplateListParams{Limit: 1})
		if err != nil {
			return fmt.Errorf("listing templates: %w", err)
		}
		if len(page.Data) == 0 {
			return errors.New("the account has no template: create one or give -template")
		}
		tmpl = page.Data[0].ID
		fmt.Fprintf(out, "template  %s (%s), the first of GET /v1/templates\n", tmpl, page.Data[0].Name)
	}
	p, _, err := pm.Passes.Issue(ctx, &passmint.PassIssueParams{
		TemplateID:  tmpl,
		HolderName:  "Alice Johnson",
		HolderEmail: "alice@example.com",
		FieldValues: map[string]string{"seatNumber": "A12"},
		Metadata:    map[string]any{"order_id": "ord_123"},
	})
	if err != nil {
		return fmt.Errorf("issuing a pass: %w", err)
	}
	fmt.Fprintf(out, "issued    %s, serial %s, seatNumber %s, download %s\n", p.ID, p.SerialNumber, p.FieldValues["seatNumber"], p.DownloadURL)
	p, _, err = pm.Passes.Update(ctx, p.ID, &passmint.PassUpdateParams{FieldValues: map[string]string{"seatNumber": "B7"}})
	if err != nil {
		return fmt.Errorf("updating the pass: %w", err)
	}
	fmt.Fprintf(out, "updated   %s, seatNumber %s (Passmint pushes it to installed passes)\n", p.ID, p.FieldValues["seatNumber"])
	p, _, err = pm.Passes.Void(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("voiding the pass: %w", err)
	}
	fmt.Fprintf(out, "voided    %s, voided %t%s\n", p.ID, p.Voided, at(p.VoidedAt))
	return nil
}

// runPassLite issues a pass for the key's business, updates it and voids it.
func runPassLite(ctx context.Context, key string, opt client.Option, c config, out io.Writer) error {
	pl, err := passlite.New(key, opt)
	if err != nil {
		return err
	}
	biz := c.business
	if biz == "" {
		b, _, err := pl.Businesses.Me(ctx)
		if err != nil {
			return fmt.Errorf("reading the business: %w", err)
		}
		biz = b.ID
		fmt.Fprintf(out, "business  %s (%s), from GET /businesses/me\n", biz, b.Name)
	}
	tmpl := orDefault(c.template, docsPassLiteTemplate)
	p, _, err := pl.Passes.Issue(ctx, biz, &passlite.PassIssueParams{
		TemplateID:    tmpl,
		CustomerName:  "Jane Doe",
		CustomerEmail: "jane@example.com",
		ExternalID:    "passforge-example-" + time.Now().UTC().Format("20060102T150405.000000000"),
	})
	if err != nil {
		return fmt.Errorf("issuing a pass from %s: %w", tmpl, err)
	}
	fmt.Fprintf(out, "issued    %s, serial %s, template %s, status %s\n", p.ID, p.SerialNumber, tmpl, p.Status)
	name := "Jane Smith"
	p, _, err = pl.Passes.Update(ctx, biz, p.ID, &passlite.PassUpdateParams{CustomerName: &name, Metadata: map[string]any{"tier": "platinum"}})
	if err != nil {
		return fmt.Errorf("updating the pass: %w", err)
	}
	fmt.Fprintf(out, "updated   %s, customer %s, tier %v\n", p.ID, p.CustomerName, p.Metadata["tier"])
	p, _, err = pl.Passes.Void(ctx, biz, p.ID)
	if err != nil {
		return fmt.Errorf("voiding the pass: %w", err)
	}
	fmt.Fprintf(out, "voided    %s, status %s%s (PassLite can reactivate it)\n", p.ID, p.Status, at(p.VoidedAt))
	return nil
}

// runPass2U creates a pass from a model, changes a dynamic field and voids
// it with an update, Pass2U's way of voiding.
func runPass2U(ctx context.Context, key string, opt client.Option, c config, out io.Writer) error {
	p2u, err := pass2u.New(key, opt)
	if err != nil {
		return err
	}
	p, _, err := p2u.Passes.Create(ctx, c.model, &pass2u.PassParams{
		Fields: []pass2u.Field{{Key: "level", Value: "GOLD"}},
	}, &pass2u.CreateOptions{UTMSource: "passforge-example"})
	if err != nil {
		return fmt.Errorf("creating a pass from model %s: %w", c.model, err)
	}
	fmt.Fprintf(out, "issued    %s from model %s, barcode %s, page %s\n", p.PassID, p.ModelID, p.BarcodeMessage, p.DownloadPageURL())
	if _, _, err = p2u.Passes.Update(ctx, c.model, p.PassID, &pass2u.PassParams{
		Fields: []pass2u.Field{{Key: "level", Value: "DIAMOND", ChangeMessage: "Your level is now %@"}},
	}); err != nil {
		return fmt.Errorf("updating the pass: %w", err)
	}
	fmt.Fprintf(out, "updated   %s, level DIAMOND (holders see \"Your level is now DIAMOND\")\n", p.PassID)
	if _, _, err = p2u.Passes.Void(ctx, c.model, p.PassID); err != nil {
		return fmt.Errorf("voiding the pass: %w", err)
	}
	fmt.Fprintf(out, "voided    %s (PUT with \"voided\": true)\n", p.PassID)
	return nil
}

// runPassinstance creates a pass, updates a field, voids it and deletes it:
// Passinstance offers both.
func runPassinstance(ctx context.Context, key string, opt client.Option, c config, out io.Writer) error {
	pi, err := passinstance.New(key, opt)
	if err != nil {
		return err
	}
	tmpl := c.template
	if tmpl == "" {
		page, _, err := pi.Templates.List(ctx, &passinstance.ListParams{Limit: 1})
		if err != nil {
			return fmt.Errorf("listing templates: %w", err)
		}
		if len(page.Items) == 0 {
			return errors.New("the account has no template: create one or give -template")
		}
		tmpl = page.Items[0].ID
		fmt.Fprintf(out, "template  %s (%s), the first of GET /templates\n", tmpl, page.Items[0].Name)
	}
	serial := "PASSFORGE-" + time.Now().UTC().Format("20060102T150405.000000000")
	p, _, err := pi.Passes.Create(ctx, &passinstance.PassCreateParams{
		TemplateID:     tmpl,
		SerialNumber:   serial,
		Fields:         map[string]passinstance.FieldValue{"memberName": {Label: "Member", Value: "Jane Doe"}, "tier": {Label: "Tier", Value: "Gold"}},
		BarcodeFormat:  passinstance.BarcodeQR,
		BarcodeMessage: serial,
	})
	if err != nil {
		return fmt.Errorf("creating a pass from %s: %w", tmpl, err)
	}
	fmt.Fprintf(out, "issued    %s, serial %s, tier %s\n", p.ID, p.SerialNumber, p.Fields["tier"].Value)
	up, _, err := pi.Passes.Update(ctx, p.ID, &passinstance.PassUpdateParams{Fields: map[string]passinstance.FieldValue{"tier": {Label: "Tier", Value: "Platinum"}}})
	if err != nil {
		return fmt.Errorf("updating the pass: %w", err)
	}
	fmt.Fprintf(out, "updated   %s, tier %s\n", p.ID, up.Fields["tier"].Value)
	v, _, err := pi.Passes.Void(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("voiding the pass: %w", err)
	}
	// The reference leaves the pass object open: "voided" is read from Raw.
	voided := "voided"
	if v != nil {
		var flag bool
		if ok, err := passinstance.Lookup(v.Raw, "voided", &flag); err == nil && ok {
			voided = fmt.Sprintf("voided %t", flag)
		}
	}
	fmt.Fprintf(out, "voided    %s, %s\n", p.ID, voided)
	if _, err := pi.Passes.Delete(ctx, p.ID); err != nil {
		return fmt.Errorf("deleting the pass: %w", err)
	}
	fmt.Fprintf(out, "deleted   %s\n", p.ID)
	return nil
}

// runRemyPass issues a member pass. RemyPass's API has no other operation.
func runRemyPass(ctx context.Context, key string, opt client.Option, c config, out io.Writer) error {
	rp, err := remypass.New(key, opt)
	if err != nil {
		return err
	}
	tmpl := orDefault(c.template, docsRemyPassTemplate)
	env, _, err := rp.Passes.Issue(ctx, &remypass.IssueParams{
		MemberID:       c.member,
		PassTemplateID: tmpl,
		CustomFields:   map[string]any{"membershipLevel": "Gold"},
		SkipEmail:      true, // an example should not email the member
	})
	if err != nil {
		return fmt.Errorf("issuing a pass to member %s: %w", c.member, err)
	}
	var data struct {
		ID  string `json:"_id"`
		Alt string `json:"id"`
	}
	if err := env.DecodeData(&data); err != nil {
		return fmt.Errorf("reading the issued pass: %w", err)
	}
	fmt.Fprintf(out, "issued    %s to member %s from template %s (%s), no email sent\n", orDefault(data.ID, data.Alt), c.member, tmpl, env.Message)
	fmt.Fprintln(out, "note      RemyPass only issues passes: its API offers no update, void or delete")
	return nil
}

func isProvider(name string) bool {
	for _, p := range providers {
		if p == name {
			return true
		}
	}
	return false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// at formats an optional time as " at 2026-04-16T14:30:00Z".
func at(t *time.Time) string {
	if t == nil {
		return ""
	}
	return " at " + t.UTC().Format(time.RFC3339)
}

// offlineKey makes a random key in the shape the provider's client expects.
func offlineKey(provider string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating an offline key: %w", err)
	}
	switch provider {
	case "passmint":
		return "pmk_test_" + hex.EncodeToString(b), nil
	case "passlite":
		return "pb_test_" + hex.EncodeToString(b), nil
	}
	return hex.EncodeToString(b), nil
}
