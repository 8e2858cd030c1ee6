package readmecheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// marker precedes a snippet: <!-- example: pass/ExamplePass_MarshalJSON -->, naming the package folder and the
// Example function whose body the following ```go block shows.
var marker = regexp.MustCompile("<!-- example: ([a-z0-9/_-]+)/(Example[A-Za-z0-9_]*) -->\\s*```go\\n((?s:.*?))```")

func TestReadmeSnippetsAreCompiledExamples(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	matches := marker.FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, matches, "README.md has no marked snippets")
	for _, m := range matches {
		dir, name, snippet := m[1], m[2], m[3]
		t.Run(dir+"/"+name, func(t *testing.T) {
			body, ok := exampleBody(t, filepath.Join(root, dir), name)
			require.True(t, ok, "no function %s in %s", name, dir)
			assert.Equal(t, normalize(body), normalize(snippet), "README snippet differs from %s/%s", dir, name)
		})
	}
}

// exampleBody returns the source between the braces of the Example function name in the _test.go files of dir,
// without its "// Output:" comment block.
func exampleBody(t *testing.T, dir, name string) (string, bool) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	require.NoError(t, err)
	for _, file := range files {
		src, err := os.ReadFile(file)
		require.NoError(t, err)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name != name || fn.Body == nil {
				continue
			}
			start := fset.Position(fn.Body.Lbrace).Offset + 1
			end := fset.Position(fn.Body.Rbrace).Offset
			body := string(src[start:end])
			if i := strings.Index(body, "// Output:"); i >= 0 {
				body = body[:i]
			}
			return body, true
		}
	}
	return "", false
}

// normalize drops blank lines and leading tabs so indentation inside the function and in the README compare
// equal.
func normalize(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(strings.TrimLeft(line, "\t"), " \t")
		if line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
