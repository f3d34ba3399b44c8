// Package arch holds tests of the code's shape rather than its behaviour:
// rules about how the packages are built that no single package's tests see.
package arch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// packageFiles parses every non-test Go file under the repository, by
// package directory.
func packageFiles(t *testing.T) (*token.FileSet, map[string][]*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	pkgs := map[string][]*ast.File{}
	err := filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "../.." || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		pkgs[filepath.Dir(path)] = append(pkgs[filepath.Dir(path)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fset, pkgs
}

// No package-level variable is written after start-up: nothing but a
// variable's own initialiser (or an init function) assigns it, takes its
// address, or holds a lock, a once or an atomic — the tools of state that
// changes. Price books, caches and flags are values their owners hold (the
// app, each CLI run, each test), so two of them never see each other's.
func TestNoPackageLevelStateIsWrittenAfterStartUp(t *testing.T) {
	fset, pkgs := packageFiles(t)
	for _, b := range stateProblems(fset, pkgs) {
		t.Error(b)
	}
}

// The check sees each way a variable changes, and lets alone what does not
// change one (a local of the same name, a table read through a pointer to
// one of its entries, an init function).
func TestTheStateCheckSeesWhatItLooksFor(t *testing.T) {
	src := `package p

import (
	"sync"
	"other"
)

var books []string
var count int
var mu sync.Mutex
var memo cache
var table = []int{1, 2}

type cache struct{ m map[int]int }

func (c *cache) put(k, v int) { c.m[k] = v }

func init() { count = 1 }

func Use(b []string) {
	books = b
	count++
	memo.put(1, 2)
	other.Setting = 3
	p := &count
	_ = p
}

func Fine(books []string) int {
	count := 2
	x := &table[1]
	return count + *x + len(books)
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(stateProblems(fset, map[string][]*ast.File{"p": {f}}), "\n")
	for _, want := range []string{
		"writes the package-level books in Use",
		"writes the package-level count in Use",
		"calls put, which may change it, on the package-level memo in Use",
		"writes other.Setting, another package's variable",
		"takes the address of the package-level count in Use",
		"a package-level mu holds a lock, a once or an atomic",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missed %q in\n%s", want, got)
		}
	}
	for _, wrong := range []string{"in Fine", "in init", "table"} {
		if strings.Contains(got, wrong) {
			t.Errorf("flagged %q:\n%s", wrong, got)
		}
	}
}

// stateProblems lists, for the parsed packages, every place a package-level
// variable may change after start-up.
func stateProblems(fset *token.FileSet, pkgs map[string][]*ast.File) []string {
	var bad []string
	for _, files := range pkgs {
		vars := map[string]bool{}
		imports := map[string]bool{}
		varType := map[string]string{}             // a variable's declared type, when it is one of the package's
		ptrMethods := map[string]map[string]bool{} // a type's methods with a pointer receiver
		stateTypes := map[string]bool{}            // types whose definition holds a lock, a once or an atomic
		for _, f := range files {
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					if d.Recv != nil && len(d.Recv.List) == 1 {
						if star, ok := d.Recv.List[0].Type.(*ast.StarExpr); ok {
							if name := typeName(star.X); name != "" {
								if ptrMethods[name] == nil {
									ptrMethods[name] = map[string]bool{}
								}
								ptrMethods[name][d.Name.Name] = true
							}
						}
					}
				case *ast.GenDecl:
					if d.Tok == token.TYPE {
						for _, spec := range d.Specs {
							ts := spec.(*ast.TypeSpec)
							if mentions(ts.Type) {
								stateTypes[ts.Name.Name] = true
							}
						}
					}
				}
			}
		}
		for _, f := range files {
			for _, imp := range f.Imports {
				name := strings.Trim(imp.Path.Value, `"`)
				name = name[strings.LastIndex(name, "/")+1:]
				if imp.Name != nil {
					name = imp.Name.Name
				}
				imports[name] = true
			}
			for _, decl := range f.Decls {
				g, ok := decl.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for _, n := range vs.Names {
						if n.Name != "_" {
							vars[n.Name] = true
							varType[n.Name] = typeName(vs.Type)
						}
					}
					if mentionsState(vs) || stateTypes[typeName(vs.Type)] {
						bad = append(bad, fset.Position(vs.Pos()).String()+": a package-level "+vs.Names[0].Name+" holds a lock, a once or an atomic")
					}
				}
			}
		}
		for _, f := range files {
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Body == nil || (fn.Recv == nil && fn.Name.Name == "init") {
					continue
				}
				locals := declared(fn)
				written := func(e ast.Expr, how string) {
					root, viaPkg := rootOf(e)
					if root == nil {
						return
					}
					if viaPkg != "" && imports[viaPkg] {
						bad = append(bad, fset.Position(e.Pos()).String()+": "+how+" "+viaPkg+"."+root.Name+", another package's variable")
						return
					}
					if viaPkg == "" && vars[root.Name] && !locals[root.Name] {
						bad = append(bad, fset.Position(e.Pos()).String()+": "+how+" the package-level "+root.Name+" in "+fn.Name.Name)
					}
				}
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					switch s := n.(type) {
					case *ast.AssignStmt:
						if s.Tok != token.DEFINE {
							for _, l := range s.Lhs {
								written(l, "writes")
							}
						}
					case *ast.IncDecStmt:
						written(s.X, "writes")
					case *ast.UnaryExpr:
						if _, whole := s.X.(*ast.Ident); s.Op == token.AND && whole {
							written(s.X, "takes the address of")
						}
					case *ast.CallExpr:
						if sel, ok := s.Fun.(*ast.SelectorExpr); ok {
							if id, ok := sel.X.(*ast.Ident); ok && vars[id.Name] && !locals[id.Name] && ptrMethods[varType[id.Name]][sel.Sel.Name] {
								bad = append(bad, fset.Position(s.Pos()).String()+": calls "+sel.Sel.Name+", which may change it, on the package-level "+id.Name+" in "+fn.Name.Name)
							}
						}
					}
					return true
				})
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// rootOf is the variable an assignment's left side writes into: x in x,
// x.f, x[i], *x; pkg names the package when it is pkg.X.
func rootOf(e ast.Expr) (root *ast.Ident, pkg string) {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x, ""
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				// pkg.Var or v.field: the caller tells them apart by its imports.
				if r, _ := rootOf(x.X); r != nil && r == id {
					return x.Sel, id.Name
				}
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return nil, ""
		}
	}
}

// declared is every name a function declares: its receiver, parameters,
// results and the variables of its body (whatever their scope: a name a
// function declares anywhere is not checked as the package's).
func declared(fn *ast.FuncDecl) map[string]bool {
	names := map[string]bool{}
	add := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				names[n.Name] = true
			}
		}
	}
	add(fn.Recv)
	add(fn.Type.Params)
	add(fn.Type.Results)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, n := range s.Names {
				names[n.Name] = true
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{s.Key, s.Value} {
				if id, ok := e.(*ast.Ident); ok && s.Tok == token.DEFINE {
					names[id.Name] = true
				}
			}
		case *ast.FuncLit:
			for _, fl := range []*ast.FieldList{s.Type.Params, s.Type.Results} {
				if fl != nil {
					for _, f := range fl.List {
						for _, n := range f.Names {
							names[n.Name] = true
						}
					}
				}
			}
		case *ast.TypeSwitchStmt:
			if a, ok := s.Assign.(*ast.AssignStmt); ok {
				for _, l := range a.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		}
		return true
	})
	return names
}

// typeName is the name of a type written as T, T[K, V] or *T; "" for others.
func typeName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.IndexExpr:
		return typeName(x.X)
	case *ast.IndexListExpr:
		return typeName(x.X)
	case *ast.StarExpr:
		return typeName(x.X)
	}
	return ""
}

// mentions says whether a type expression names a lock, a once or an atomic.
func mentions(e ast.Expr) bool {
	return mentionsState(&ast.ValueSpec{Type: e})
}

// mentionsState says whether a variable's type or initialiser names a
// lock, a once or an atomic.
func mentionsState(vs *ast.ValueSpec) bool {
	found := false
	check := func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "sync" || id.Name == "atomic") {
				found = true
			}
		}
		return !found
	}
	if vs.Type != nil {
		ast.Inspect(vs.Type, check)
	}
	for _, v := range vs.Values {
		ast.Inspect(v, check)
	}
	return found
}
