package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// TestWarmStylesCoverTheApp: every text style the app's code writes is
// measured as the app starts (New, or warmFonts), so none loads its faces
// on the UI goroutine in a frame; and every warmed style is still used.
func TestWarmStylesCoverTheApp(t *testing.T) {
	known := map[fyne.TextStyle]bool{}
	for _, s := range append(append([]fyne.TextStyle(nil), startStyles...), warmStyles...) {
		known[s] = true
	}
	used := map[fyne.TextStyle]bool{}
	for pos, s := range textStylesIn(t, ".") {
		used[s] = true
		if !known[s] {
			t.Errorf("%s: text style %+v is in neither startStyles nor warmStyles", pos, s)
		}
	}
	if len(used) == 0 {
		t.Fatal("found no text style in the package: is the test reading ui/?")
	}
	for _, s := range warmStyles {
		if !used[s] {
			t.Errorf("warmStyles has %+v, which the app no longer writes", s)
		}
	}
}

// textStylesIn finds the text styles written in dir's Go files (not the
// tests): fyne.TextStyle literals, and x.TextStyle.Field = true.
func textStylesIn(t *testing.T, dir string) map[string]fyne.TextStyle {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := map[string]fyne.TextStyle{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if sel, ok := n.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "TextStyle" {
					found[fset.Position(n.Pos()).String()] = styleOf(t, fset, n)
				}
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					field, ok := lhs.(*ast.SelectorExpr)
					if !ok {
						continue
					}
					if inner, ok := field.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "TextStyle" {
						found[fset.Position(lhs.Pos()).String()] = withField(t, fset, lhs, fyne.TextStyle{}, field.Sel.Name)
					}
				}
			}
			return true
		})
	}
	return found
}

// styleOf reads a TextStyle literal whose fields are set to true.
func styleOf(t *testing.T, fset *token.FileSet, lit *ast.CompositeLit) fyne.TextStyle {
	t.Helper()
	var s fyne.TextStyle
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			t.Fatalf("%s: a text style the test cannot read; keep to Field: true", fset.Position(el.Pos()))
		}
		val, isIdent := kv.Value.(*ast.Ident)
		key, isKey := kv.Key.(*ast.Ident)
		if !isIdent || !isKey || val.Name != "true" {
			t.Fatalf("%s: a text style the test cannot read; keep to Field: true", fset.Position(el.Pos()))
		}
		s = withField(t, fset, el, s, key.Name)
	}
	return s
}

func withField(t *testing.T, fset *token.FileSet, at ast.Node, s fyne.TextStyle, field string) fyne.TextStyle {
	t.Helper()
	switch field {
	case "Bold":
		s.Bold = true
	case "Italic":
		s.Italic = true
	case "Monospace":
		s.Monospace = true
	case "Symbol":
		s.Symbol = true
	case "Underline":
		s.Underline = true
	default:
		t.Fatalf("%s: text style field %q", fset.Position(at.Pos()), field)
	}
	return s
}

// TestNewWarmsTheFontsOnAGoroutine: New hands the warming to Options.Go,
// once, and says when it is done.
func TestNewWarmsTheFontsOnAGoroutine(t *testing.T) {
	handed := 0
	a := New(test.NewTempApp(t), Options{Store: keyring.NewMemoryStore(), Go: func(f func()) { handed++; f() }})
	if handed != 1 {
		t.Fatalf("New handed %d jobs to Go, want 1: the font warming", handed)
	}
	select {
	case <-a.fontsWarm:
	default:
		t.Fatal("the warming ran, but fontsWarm is open")
	}
}
