package pass

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var docWord = regexp.MustCompile(`[A-Za-z]+`)

// docFiller are words that say nothing about a key by themselves.
var docFiller = map[string]bool{"is": true, "the": true, "a": true, "an": true, "key": true, "of": true, "or": true,
	"and": true, "ios": true, "localizable": true, "value": true, "since": true, "in": true, "to": true}

// TestModelDocCommentsSayWhatTheKeyMeans fails for a pass.json field whose doc comment only repeats its key
// ("// VenueName is venueName."): every model field says what it means to Wallet, where it shows or which
// values it takes.
func TestModelDocCommentsSayWhatTheKeyMeans(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	var bare []string
	checked := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || !ts.Name.IsExported() {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fld := range st.Fields.List {
				if len(fld.Names) == 0 || !fld.Names[0].IsExported() || fld.Tag == nil {
					continue
				}
				key, _, _ := strings.Cut(reflect.StructTag(strings.Trim(fld.Tag.Value, "`")).Get("json"), ",")
				if key == "" || key == "-" {
					continue
				}
				checked++
				name := fld.Names[0].Name
				doc := ""
				if fld.Doc != nil {
					doc = fld.Doc.Text()
				}
				meaningful := 0
				for _, w := range docWord.FindAllString(doc, -1) {
					if w != name && w != key && !docFiller[strings.ToLower(w)] {
						meaningful++
					}
				}
				if meaningful < 4 {
					bare = append(bare, fset.Position(fld.Pos()).String()+": "+ts.Name.Name+"."+name+": "+strings.TrimSpace(doc))
				}
			}
			return true
		})
	}
	assert.Greater(t, checked, 300, "the model's fields were found")
	assert.Empty(t, bare, "%d doc comments only repeat the key:\n%s", len(bare), strings.Join(bare, "\n"))
}
