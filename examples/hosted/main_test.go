package main

import (
	"bytes"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/passforge/passforge/internal/providerfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

// expected are the lines each provider prints, as regular expressions.
var expected = map[string][]string{
	"passmint": {
		`template  tmpl_xxx \(VIP Concert Pass\), the first of GET /v1/templates`,
		`issued    (pass_\d+), serial \S+, seatNumber A12, download https://`,
		`updated   pass_\d+, seatNumber B7`,
		`voided    pass_\d+, voided true at \d{4}-\d\d-\d\dT`,
	},
	"passlite": {
		`business  biz_123 \(.+\), from GET /businesses/me`,
		`issued    pass_\d+, serial PL-\d+, template tpl_loyalty_gold, status active`,
		`updated   pass_\d+, customer Jane Smith, tier platinum`,
		`voided    pass_\d+, status voided at \d{4}-`,
	},
	"pass2u": {
		`issued    (VT-\d+) from model 1919, barcode \d+, page https://www.pass2u.net/d/VT-\d+`,
		`updated   VT-\d+, level DIAMOND`,
		`voided    VT-\d+ \(PUT with "voided": true\)`,
	},
	"passinstance": {
		`template  tpl_abcdef1234567890 \(.+\), the first of GET /templates`,
		`issued    (pi_pass_\d+), serial PASSFORGE-\S+, tier Gold`,
		`updated   pi_pass_\d+, tier Platinum`,
		`voided    pi_pass_\d+, voided true`,
		`deleted   pi_pass_\d+`,
	},
	"remypass": {
		`issued    rp_pass_\d+ to member 507f1f77bcf86cd799439011 from template 507f1f77bcf86cd799439012 \(Pass issued successfully\), no email sent`,
		`note      RemyPass only issues passes: its API offers no update, void or delete`,
	},
}

// calls are the operations each provider's run makes, in order.
var calls = map[string][]string{
	"passmint":     {"GET /v1/templates -> 200", "POST /v1/passes -> 200", "PATCH /v1/passes/pass_1 -> 200", "DELETE /v1/passes/pass_1 -> 200"},
	"passlite":     {"GET /businesses/me -> 200", "POST /businesses/biz_123/passes -> 201", "PATCH /businesses/biz_123/passes/pass_1 -> 200", "DELETE /businesses/biz_123/passes/pass_1 -> 200"},
	"pass2u":       {"POST /models/1919/passes -> 200", "PUT /models/1919/passes/VT-1 -> 200", "PUT /models/1919/passes/VT-1 -> 200"},
	"passinstance": {"GET /templates -> 200", "POST /passes -> 201", "PUT /passes/pi_pass_1 -> 200", "POST /passes/pi_pass_1/void -> 200", "DELETE /passes/pi_pass_1 -> 204"},
	"remypass":     {"POST /passes/issue -> 201"},
}

// assertLines checks that out has the lines of provider, in order.
func assertLines(t *testing.T, out, provider string) {
	t.Helper()
	section := out[strings.Index(out, "== "+provider+" at "):]
	if next := strings.Index(section[3:], "\n== "); next >= 0 {
		section = section[:next+4]
	}
	pos := 0
	for _, re := range expected[provider] {
		loc := regexp.MustCompile(`(?m)^` + re + `.*$`).FindStringIndex(section[pos:])
		require.NotNil(t, loc, "%s: no line matching %q after offset %d in:\n%s", provider, re, pos, section)
		pos += loc[1]
	}
}

func TestEveryProviderOffline(t *testing.T) {
	for _, provider := range providers {
		t.Run(provider, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run([]string{"-provider", provider}, noEnv, &stdout, &stderr)
			require.Equal(t, 0, code, stderr.String())
			out := stdout.String()
			assert.Regexp(t, `^offline: no -base-url, so the calls go to an in-memory fake of the services at http://127\.0\.0\.1:\d+, with generated test keys\n`, out)
			assertLines(t, out, provider)
			// Offline keys are generated; none is printed.
			assert.NotRegexp(t, `pmk_test_|pb_test_|[0-9a-f]{32}`, out)
		})
	}
}

func TestDefaultIsPassmint(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run(nil, noEnv, &stdout, &stderr), stderr.String())
	assertLines(t, stdout.String(), "passmint")
	assert.NotContains(t, stdout.String(), "== passlite")
}

func TestAllRunsTheFiveInTurn(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"-provider", "all"}, noEnv, &stdout, &stderr), stderr.String())
	out := stdout.String()
	last := -1
	for _, provider := range providers {
		i := strings.Index(out, "== "+provider+" at ")
		require.Greater(t, i, last, "%s runs after the one before", provider)
		last = i
		assertLines(t, out, provider)
	}
	assert.Equal(t, 1, strings.Count(out, "offline:"), "one fake serves all five")
}

// keys are keys in the shape each client accepts.
var keys = map[string]string{
	"passmint": "pmk_test_s3cr3t", "passlite": "pb_test_s3cr3t", "pass2u": "e6a45207817bb8e9b1f3e67bb696067c",
	"passinstance": "pi_s3cr3t", "remypass": "rp_s3cr3t",
}

func TestAgainstABaseURL(t *testing.T) {
	for _, provider := range providers {
		for _, via := range []string{"flag", "env"} {
			t.Run(provider+"/"+via, func(t *testing.T) {
				key := keys[provider]
				fake := providerfake.New(&providerfake.Options{Keys: map[providerfake.Provider]string{providerfake.Provider(provider): key}})
				srv := httptest.NewServer(fake)
				defer srv.Close()

				args := []string{"-provider", provider, "-base-url", srv.URL + providerfake.BasePath(providerfake.Provider(provider))}
				getenv := noEnv
				if via == "flag" {
					args = append(args, "-api-key", key)
				} else {
					getenv = func(name string) string {
						if name == "PASSFORGE_API_KEY" {
							return key
						}
						return ""
					}
				}
				var stdout, stderr bytes.Buffer
				require.Equal(t, 0, run(args, getenv, &stdout, &stderr), stderr.String())
				out := stdout.String()
				assert.NotContains(t, out, "offline")
				assertLines(t, out, provider)
				assert.NotContains(t, out+stderr.String(), key, "the key is never printed")

				var got []string
				for _, c := range fake.Calls() {
					got = append(got, c.Method+" "+c.Path+" -> "+strconv.Itoa(c.Status))
				}
				assert.Equal(t, calls[provider], got)
			})
		}
	}
}

func TestWrongKeyFailsWithoutPrintingIt(t *testing.T) {
	for _, provider := range providers {
		t.Run(provider, func(t *testing.T) {
			fake := providerfake.New(&providerfake.Options{Keys: map[providerfake.Provider]string{providerfake.Provider(provider): keys[provider]}})
			srv := httptest.NewServer(fake)
			defer srv.Close()
			wrong := keys[provider] + "x"
			var stdout, stderr bytes.Buffer
			code := run([]string{"-provider", provider, "-base-url", srv.URL + providerfake.BasePath(providerfake.Provider(provider)), "-api-key", wrong}, noEnv, &stdout, &stderr)
			assert.Equal(t, 1, code)
			assert.Regexp(t, `^hosted: `+provider+`: `, stderr.String())
			assert.Regexp(t, `status 40[13]`, stderr.String())
			assert.NotContains(t, stdout.String()+stderr.String(), wrong)
		})
	}
}

func TestIDFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"passmint template", []string{"-provider", "passmint", "-template", "tmpl_xxx"}, 0, "issued    pass_"},
		{"passmint unknown template", []string{"-provider", "passmint", "-template", "tmpl_nope"}, 1, "hosted: passmint: issuing a pass: "},
		{"passlite business", []string{"-provider", "passlite", "-business", "biz_123"}, 0, "issued    pass_"},
		{"passlite other business", []string{"-provider", "passlite", "-business", "biz_999"}, 1, "hosted: passlite: issuing a pass from tpl_loyalty_gold: "},
		{"pass2u unknown model", []string{"-provider", "pass2u", "-model", "42"}, 1, "hosted: pass2u: creating a pass from model 42: "},
		{"passinstance unknown template", []string{"-provider", "passinstance", "-template", "tpl_nope"}, 1, "hosted: passinstance: creating a pass from tpl_nope: "},
		{"remypass unknown member", []string{"-provider", "remypass", "-member", "nobody"}, 1, "hosted: remypass: issuing a pass to member nobody: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, noEnv, &stdout, &stderr)
			assert.Equal(t, tt.code, code, stderr.String())
			assert.Contains(t, stdout.String()+stderr.String(), tt.want)
		})
	}
	// Given ids are used as they are, with no list or me call.
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"-provider", "passlite", "-business", "biz_123"}, noEnv, &stdout, &stderr), stderr.String())
	assert.NotContains(t, stdout.String(), "GET /businesses/me")
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, 0, "example: PASSFORGE_API_KEY="},
		{"unknown provider", []string{"-provider", "acme"}, 2, `unknown -provider "acme"`},
		{"all with a base URL", []string{"-provider", "all", "-base-url", "http://127.0.0.1:1"}, 2, "-provider all runs offline only"},
		{"base URL without a key", []string{"-base-url", "http://127.0.0.1:1"}, 2, "an API key is needed"},
		{"stray argument", []string{"passmint"}, 2, `unexpected argument "passmint"`},
		{"bad flag", []string{"-nope"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, tt.code, run(tt.args, noEnv, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tt.want)
			assert.Empty(t, stdout.String())
		})
	}
}

func TestOfflineLeavesTheEnvironmentKeyAlone(t *testing.T) {
	const real = "pmk_live_do-not-send-me"
	getenv := func(name string) string {
		if name == "PASSFORGE_API_KEY" {
			return real
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"-provider", "all"}, getenv, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "with generated test keys")
	assert.NotContains(t, stdout.String()+stderr.String(), real)
}

func TestOfflineWithAnExplicitKey(t *testing.T) {
	const key = "pmk_test_given"
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"-provider", "passmint", "-api-key", key}, noEnv, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "with the -api-key key")
	assertLines(t, stdout.String(), "passmint")
	assert.NotContains(t, stdout.String()+stderr.String(), key)

	// A key in the wrong shape for the provider is refused by its client,
	// without being printed.
	stdout.Reset()
	stderr.Reset()
	assert.Equal(t, 1, run([]string{"-provider", "passlite", "-api-key", key}, noEnv, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "hosted: passlite: ")
	assert.NotContains(t, stdout.String()+stderr.String(), key)
}
