package pass

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDateOffsetWithoutColon: a ±hhmm offset still parses, and Validate warns with the fixed ±hh:mm form.
func TestDateOffsetWithoutColon(t *testing.T) {
	p, err := Parse([]byte(`{"formatVersion":1,"passTypeIdentifier":"pass.com.example.coffee","serialNumber":"1",` +
		`"teamIdentifier":"A1B2C3D4E5","organizationName":"Example","description":"Card",` +
		`"expirationDate":"2026-12-31T23:59:00+0000","storeCard":{}}`))
	require.NoError(t, err)
	require.True(t, p.ExpirationDate.Valid(), "Parse keeps accepting +0000")
	assert.Equal(t, "2026-12-31T23:59:00Z", p.ExpirationDate.String(), "written back in the form Wallet parses")

	var ve *ValidationError
	require.ErrorAs(t, p.Validate(nil), &ve)
	require.Len(t, ve.Problems, 1, "%v", ve)
	pr := ve.Problems[0]
	assert.Equal(t, "expirationDate", pr.Path)
	assert.Equal(t, SeverityWarning, pr.Severity)
	assert.Equal(t, ruleDateOffset, pr.Rule)
	assert.Contains(t, pr.Message, `"2026-12-31T23:59:00+0000"`)
	assert.Contains(t, pr.Message, `"2026-12-31T23:59:00+00:00"`)

	// A field value keeps its text: the fixed form is in the message too.
	q := validStoreCard()
	q.StoreCard.BackFields = []Field{{Key: "d", Label: "D", Value: String("2026-12-31T23:59-0530"), DateStyle: DateStyleShort}}
	require.ErrorAs(t, q.Validate(nil), &ve)
	require.Len(t, ve.Problems, 1, "%v", ve)
	assert.Contains(t, ve.Problems[0].Message, `"2026-12-31T23:59-05:30"`)

	// A Date made in Go never has the problem.
	q = validStoreCard()
	q.ExpirationDate = NewDate(p.ExpirationDate.Time)
	require.NoError(t, q.Validate(nil))
}

// TestUnreplacedPlaceholderMessage: the error names the placeholder, and a pass without any passes.
func TestUnreplacedPlaceholderMessage(t *testing.T) {
	p := validStoreCard()
	p.OrganizationName = "{{org}} Coffee"
	p.LogoText = "{{org}}"
	var ve *ValidationError
	require.ErrorAs(t, p.Validate(nil), &ve)
	require.Len(t, ve.Problems, 2, "%v", ve)
	assert.Equal(t, "organizationName", ve.Problems[0].Path)
	assert.Equal(t, "logoText", ve.Problems[1].Path)
	assert.Contains(t, ve.Problems[0].Message, "{{org}}")
	assert.True(t, ve.HasErrors())
}

// TestPackageListsAreCopies: the lists Validate reads cannot be changed by a caller.
func TestPackageListsAreCopies(t *testing.T) {
	roles := ImageRoles()
	require.NotEmpty(t, roles)
	roles[0] = "nonsense"
	assert.Equal(t, ImageIcon, ImageRoles()[0])

	styles := LegacyStyles()
	require.Len(t, styles, 5)
	clear(styles)
	assert.Equal(t, StyleStoreCard, validStoreCard().Style())

	rules := Rules()
	require.NotEmpty(t, rules)
	rules[0].ID = "changed"
	_, ok := RuleByID(ruleRequiredKey)
	assert.True(t, ok)
	assert.Equal(t, ruleRequiredKey, Rules()[0].ID)

	// Validate still knows the icon role and the store card style.
	require.NoError(t, validStoreCard().Validate(valAssets(t)))
}

// TestUnreplacedPlaceholderMessageIsQuoted: the placeholder comes from the pass, which may be hostile; a carriage
// return inside its braces must not reach a terminal raw.
func TestUnreplacedPlaceholderMessageIsQuoted(t *testing.T) {
	p := validStoreCard()
	p.LogoText = "{{\r\nname}}"
	var ve *ValidationError
	require.ErrorAs(t, p.Validate(nil), &ve)
	require.Len(t, ve.Problems, 1, "%v", ve)
	assert.Contains(t, ve.Problems[0].Message, `"{{\r\nname}}"`)
	assert.NotContains(t, ve.Problems[0].Message, "\r")
}
