package main

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out), "%s", out.String())
	s := out.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^1\. issued pass M-0001 \(lastUpdated "\d+"\)$`),
		regexp.MustCompile(`(?m)^2\. downloaded the pass \(\d+ bytes\): points 100, webServiceURL http://127\.0\.0\.1:\d+/wallet/$`),
		regexp.MustCompile(`(?m)^3\. device registered \(HTTP 201\)`),
		regexp.MustCompile(`(?m)^4\. updated points to 150: lastUpdated "\d+", 1 push queued$`),
		regexp.MustCompile(`(?m)^5\. push arrived at APNs: token 01234567…, topic pass\.com\.example\.liveupdate, body \{\}, answered 200$`),
		regexp.MustCompile(`(?m)^6\. device asked what changed since "\d+": \[M-0001\], new lastUpdated "\d+"$`),
		regexp.MustCompile(`(?m)^7\. device fetched the new version \(HTTP 200\): points 150, `),
		regexp.MustCompile(`(?m)^8\. asked again with If-Modified-Since: HTTP 304, nothing to download$`),
	} {
		assert.Regexp(t, want, s)
	}
}
