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

// TestWarmStylesCoverTheApp: every fyne.TextStyle the app's code writes is
// warmed, so none loads its faces on the UI goroutine in a frame.
func TestWarmStylesCoverTheApp(t *testing.T) {
	warm := map[fyne.TextStyle]bool{}
	for _, s := range warmStyles {
		warm[s] = true
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			sel, ok := lit.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "TextStyle" {
				return true
			}
			seen++
			if s := styleOf(t, fset, lit); !warm[s] {
				t.Errorf("%s: text style %+v is not in warmStyles", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	if seen == 0 {
		t.Fatal("found no fyne.TextStyle in the package: is the test reading ui/?")
	}
}

// styleOf reads a TextStyle literal whose fields are set to true.
func styleOf(t *testing.T, fset *token.FileSet, lit *ast.CompositeLit) fyne.TextStyle {
	var s fyne.TextStyle
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		val, isIdent := kv.Value.(*ast.Ident)
		if !ok || !isIdent || val.Name != "true" {
			t.Fatalf("%s: a text style warmStyles cannot read; keep to Field: true", fset.Position(el.Pos()))
		}
		switch kv.Key.(*ast.Ident).Name {
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
			t.Fatalf("%s: unknown text style field", fset.Position(el.Pos()))
		}
	}
	return s
}

// TestNewWarmsTheFontsOffTheUIGoroutine: New hands the warming to its
// Heavy executor (a low-priority goroutine in the app), once.
func TestNewWarmsTheFontsOffTheUIGoroutine(t *testing.T) {
	handed := 0
	New(test.NewTempApp(t), Options{Store: keyring.NewMemoryStore(), Heavy: func(f func()) { handed++; f() }})
	if handed != 1 {
		t.Fatalf("New handed %d jobs to Heavy, want 1: the font warming", handed)
	}
}
