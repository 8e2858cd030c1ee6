package placeholder

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFirst(t *testing.T) {
	for _, tc := range []struct {
		in, text, name string
		ok             bool
	}{
		{"{{holder_name}}", "{{holder_name}}", "holder_name", true},
		{"Hello {{ member.id }}!", "{{ member.id }}", "member.id", true},
		{"a {{}} b {{x-1}}", "{{x-1}}", "x-1", true},
		{"{{{{a}}", "{{a}}", "a", true},
		{"{{a b}} {{ }} {not}", "", "", false},
		{"{{unterminated", "", "", false},
		{"{{é}}", "", "", false},
		{"{{" + strings.Repeat("a", 129) + "}}", "", "", false},
		{"", "", "", false},
	} {
		text, name, ok := First(tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.text, text, tc.in)
		assert.Equal(t, tc.name, name, tc.in)
	}
}

func TestValidName(t *testing.T) {
	assert.True(t, ValidName("a.B-c_9"))
	assert.True(t, ValidName(strings.Repeat("a", MaxNameLen)))
	assert.False(t, ValidName(""))
	assert.False(t, ValidName("a b"))
	assert.False(t, ValidName("a\tb"))
	assert.False(t, ValidName(strings.Repeat("a", MaxNameLen+1)))
}

func FuzzFirst(f *testing.F) {
	f.Add("x {{a}} y")
	f.Add("{{{{ }}}}")
	f.Fuzz(func(t *testing.T, s string) {
		text, name, ok := First(s)
		if !ok {
			return
		}
		if !strings.Contains(s, text) || !ValidName(name) || !strings.HasPrefix(text, "{{") || !strings.HasSuffix(text, "}}") {
			t.Fatalf("First(%q) = %q, %q", s, text, name)
		}
	})
}
