package sandbox

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The sandbox's $filter: a recursive-descent parser for the part of the
// OData expression language that clients of People use — comparisons (eq,
// ne, gt, lt, ge, le), and, or, not, parentheses, and the functions
// substringof (v2/v3), contains (v4), startswith, endswith, tolower,
// toupper, trim and length — with string, number, boolean, null,
// datetime'…' / ISO date and guid'…' literals. In v4 mode the literal forms
// OData 4 dropped (datetime'…', guid'…', number suffixes) are refused, as a
// v4 server refuses them.

// filterExpr evaluates to a value for one person.
type filterExpr func(p *Person) any

type filterParser struct {
	src  string
	toks []token
	pos  int
}

type tokenKind int

const (
	tkIdent tokenKind = iota
	tkString
	tkNumber
	tkTyped // datetime'…', guid'…'
	tkOpen
	tkClose
	tkComma
	tkEOF
)

type token struct {
	kind tokenKind
	text string // identifier, decoded string, number text, or typed literal body
	typ  string // for tkTyped: datetime, guid, datetimeoffset
	at   int
	// legacy is the literal as written when it is in a form only OData 2
	// and 3 have (guid'…', datetime'…', 0.8M), so that v4 can refuse it.
	legacy string
}

// parseFilter compiles a $filter expression of the given OData version.
func parseFilter(src string, version int) (filterExpr, error) {
	toks, err := lexFilter(src)
	if err != nil {
		return nil, err
	}
	if version == ODataV4 {
		if err := refuseLegacyLiterals(toks); err != nil {
			return nil, err
		}
	}
	p := &filterParser{src: src, toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tkEOF {
		return nil, p.errorf(t, "unexpected %q", t.text)
	}
	return e, nil
}

// refuseLegacyLiterals refuses the literal forms of OData 2 and 3 that
// OData 4's ABNF does not have: a v4 server answers 400 to guid'…' or
// 0.8M, so a client must not send them in v4 even though the sandbox
// could read them.
func refuseLegacyLiterals(toks []token) error {
	for _, t := range toks {
		if t.legacy == "" {
			continue
		}
		how := "without the suffix"
		if t.kind == tkTyped {
			how = "bare, without " + t.typ + " and quotes"
		}
		return fmt.Errorf("$filter: %s at position %d is OData 2/3 syntax; OData 4 writes the value %s", t.legacy, t.at+1, how)
	}
	return nil
}

func lexFilter(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		var t token
		var err error
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '(' || c == ')' || c == ',':
			t, i = token{kind: punctuation[c], text: string(c), at: i}, i+1
		case c == '\'':
			t.at = i
			t.kind = tkString
			t.text, i, err = lexString(s, i)
		case bareGUID.MatchString(s[i:]):
			// OData 4 writes GUIDs without guid'…'.
			t, i = token{kind: tkTyped, typ: "guid", text: s[i : i+36], at: i}, i+36
		case c == '-' || (c >= '0' && c <= '9'):
			t, i = lexNumber(s, i)
		case unicode.IsLetter(rune(c)) || c == '_':
			t, i, err = lexWord(s, i)
		default:
			err = fmt.Errorf("$filter: unexpected character %q at position %d", c, i+1)
		}
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
	}
	return append(toks, token{kind: tkEOF, at: len(s)}), nil
}

// bareGUID is an OData 4 GUID literal at the start of the rest of a filter.
var bareGUID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b`)

var punctuation = map[byte]tokenKind{'(': tkOpen, ')': tkClose, ',': tkComma}

// lexNumber reads a number, or a v4 date literal (2024-01-01 or
// 2024-01-01T00:00:00Z), starting at s[i].
func lexNumber(s string, i int) (token, int) {
	j := i + 1
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || strings.IndexByte(".:-TZ+", s[j]) >= 0) {
		j++
	}
	text := s[i:j]
	if len(text) >= 10 && text[4] == '-' {
		return token{kind: tkTyped, typ: "datetime", text: text, at: i}, j
	}
	// Number suffixes (M, L, d, f) of v2/v3 literals.
	for j < len(s) && strings.ContainsRune("mMlLdDfF", rune(s[j])) {
		j++
	}
	t := token{kind: tkNumber, text: strings.TrimRight(s[i:j], "mMlLdDfF"), at: i}
	if len(t.text) < j-i {
		t.legacy = s[i:j]
	}
	return t, j
}

// lexWord reads an identifier (a property, function or keyword), or a
// typed literal such as datetime'…' or guid'…', starting at s[i].
func lexWord(s string, i int) (token, int, error) {
	j := i
	for j < len(s) && (unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j])) || strings.IndexByte("_./", s[j]) >= 0) {
		j++
	}
	word := s[i:j]
	if j == len(s) || s[j] != '\'' {
		return token{kind: tkIdent, text: word, at: i}, j, nil
	}
	switch lower := strings.ToLower(word); lower {
	case "datetime", "guid", "datetimeoffset":
		str, n, err := lexString(s, j)
		if err != nil {
			return token{}, 0, err
		}
		return token{kind: tkTyped, typ: lower, text: str, at: i, legacy: s[i:n]}, n, nil
	}
	return token{}, 0, fmt.Errorf("$filter: unknown literal type %q at position %d", word, i+1)
}

// lexString reads a literal in single quotes that starts at s[i]; inside
// it, two quotes in a row stand for one (O'Brien is sent doubled).
func lexString(s string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		if s[j] == '\'' {
			if j+1 < len(s) && s[j+1] == '\'' {
				b.WriteByte('\'')
				j++
				continue
			}
			return b.String(), j + 1, nil
		}
		b.WriteByte(s[j])
	}
	return "", 0, fmt.Errorf("$filter: unterminated string starting at position %d", i+1)
}

func (p *filterParser) peek() token { return p.toks[p.pos] }
func (p *filterParser) next() token { t := p.toks[p.pos]; p.pos++; return t }

func (p *filterParser) errorf(t token, format string, args ...any) error {
	return fmt.Errorf("$filter: "+format+" at position %d", append(args, t.at+1)...)
}

func (p *filterParser) keyword(words ...string) string {
	t := p.peek()
	if t.kind != tkIdent {
		return ""
	}
	for _, w := range words {
		if t.text == w {
			p.pos++
			return w
		}
	}
	return ""
}

func (p *filterParser) or() (filterExpr, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") != "" {
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(x *Person) any { return truthy(l(x)) || truthy(right(x)) }
	}
	return left, nil
}

func (p *filterParser) and() (filterExpr, error) {
	left, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") != "" {
		right, err := p.not()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(x *Person) any { return truthy(l(x)) && truthy(right(x)) }
	}
	return left, nil
}

func (p *filterParser) not() (filterExpr, error) {
	if p.keyword("not") != "" {
		inner, err := p.not()
		if err != nil {
			return nil, err
		}
		return func(x *Person) any { return !truthy(inner(x)) }, nil
	}
	return p.comparison()
}

func (p *filterParser) comparison() (filterExpr, error) {
	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	op := p.keyword("eq", "ne", "gt", "lt", "ge", "le")
	if op == "" {
		return left, nil
	}
	right, err := p.operand()
	if err != nil {
		return nil, err
	}
	return func(x *Person) any {
		a, b := left(x), right(x)
		if a == nil || b == nil {
			switch op {
			case "eq":
				return a == nil && b == nil
			case "ne":
				return (a == nil) != (b == nil)
			}
			return false
		}
		c, ok := compareValues(a, b)
		if !ok {
			return op == "ne"
		}
		switch op {
		case "eq":
			return c == 0
		case "ne":
			return c != 0
		case "gt":
			return c > 0
		case "lt":
			return c < 0
		case "ge":
			return c >= 0
		}
		return c <= 0
	}, nil
}

func (p *filterParser) operand() (filterExpr, error) {
	t := p.next()
	switch t.kind {
	case tkOpen:
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tkClose {
			return nil, p.errorf(c, "expected )")
		}
		return e, nil
	case tkString:
		v := t.text
		return func(*Person) any { return v }, nil
	case tkNumber:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, p.errorf(t, "bad number %q", t.text)
		}
		return func(*Person) any { return f }, nil
	case tkTyped:
		return typedLiteral(p, t)
	case tkIdent:
		switch t.text {
		case "true", "false":
			v := t.text == "true"
			return func(*Person) any { return v }, nil
		case "null":
			return func(*Person) any { return nil }, nil
		}
		if p.peek().kind == tkOpen {
			return p.call(t)
		}
		prop := findProperty(t.text)
		if prop == nil {
			return nil, p.errorf(t, "no property %q on Person", t.text)
		}
		return prop.raw, nil
	}
	return nil, p.errorf(t, "expected a value")
}

func typedLiteral(p *filterParser, t token) (filterExpr, error) {
	switch t.typ {
	case "guid":
		v := strings.ToLower(t.text)
		return func(*Person) any { return v }, nil
	default:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
			if tm, err := time.Parse(layout, t.text); err == nil {
				return func(*Person) any { return tm }, nil
			}
		}
		return nil, p.errorf(t, "bad date %q", t.text)
	}
}

// call parses a function call; its arguments are comma-separated operands.
func (p *filterParser) call(name token) (filterExpr, error) {
	p.next() // (
	var args []filterExpr
	for p.peek().kind != tkClose {
		a, err := p.or()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if p.peek().kind == tkComma {
			p.next()
		} else if p.peek().kind != tkClose {
			return nil, p.errorf(p.peek(), "expected , or )")
		}
	}
	p.next() // )
	want := map[string]int{"substringof": 2, "contains": 2, "startswith": 2, "endswith": 2, "tolower": 1, "toupper": 1, "trim": 1, "length": 1}
	n, ok := want[name.text]
	if !ok {
		return nil, p.errorf(name, "unsupported function %s", name.text)
	}
	if len(args) != n {
		return nil, p.errorf(name, "%s takes %d arguments, got %d", name.text, n, len(args))
	}
	str := func(e filterExpr, x *Person) (string, bool) { s, ok := e(x).(string); return s, ok }
	two := func(f func(a, b string) bool) filterExpr {
		return func(x *Person) any {
			a, ok1 := str(args[0], x)
			b, ok2 := str(args[1], x)
			return ok1 && ok2 && f(a, b)
		}
	}
	switch name.text {
	case "substringof": // v2/v3: substringof('needle', Haystack)
		return two(func(needle, hay string) bool { return strings.Contains(hay, needle) }), nil
	case "contains": // v4: contains(Haystack, 'needle')
		return two(strings.Contains), nil
	case "startswith":
		return two(strings.HasPrefix), nil
	case "endswith":
		return two(strings.HasSuffix), nil
	case "length":
		return func(x *Person) any { s, _ := str(args[0], x); return float64(len([]rune(s))) }, nil
	}
	conv := map[string]func(string) string{"tolower": strings.ToLower, "toupper": strings.ToUpper, "trim": strings.TrimSpace}[name.text]
	return func(x *Person) any {
		if s, ok := str(args[0], x); ok {
			return conv(s)
		}
		return nil
	}, nil
}

func truthy(v any) bool { b, _ := v.(bool); return b }

// compareValues orders two values of the same kind.
func compareValues(a, b any) (int, bool) {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return strings.Compare(x, y), ok
	case float64:
		y, ok := b.(float64)
		return cmpFloat(x, y), ok
	case bool:
		y, ok := b.(bool)
		return cmpBool(x, y), ok
	case time.Time:
		y, ok := b.(time.Time)
		return x.Compare(y), ok
	}
	return 0, false
}
