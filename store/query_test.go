package store

import (
	"errors"
	"strings"
	"testing"
)

// show prints a parsed query as nested operators.
func show(n *queryNode) string {
	switch n.op {
	case "term":
		return n.text
	case "not":
		return "NOT(" + show(n.kids[0]) + ")"
	}
	var parts []string
	for _, k := range n.kids {
		parts = append(parts, show(k))
	}
	return strings.ToUpper(n.op) + "(" + strings.Join(parts, " ") + ")"
}

func TestParseQuery(t *testing.T) {
	for _, c := range []struct{ quirk, q, want string }{
		{"one term", "依申请", "依申请"},
		{"terms are ANDed", "依申请 公开", "AND(依申请 公开)"},
		{"AND written", "依申请 AND 公开", "AND(依申请 公开)"},
		{"OR", "行政复议 OR 行政诉讼", "OR(行政复议 行政诉讼)"},
		{"AND binds tighter than OR", "a b OR c", "OR(AND(a b) c)"},
		{"minus", "依申请 -复议", "AND(依申请 NOT(复议))"},
		{"NOT", "依申请 NOT 复议", "AND(依申请 NOT(复议))"},
		{"phrase keeps its spaces", `"open data" 公开`, "AND(open data 公开)"},
		{"full-width quotes", "“依申请 公开”", "依申请 公开"},
		{"prefix", "公开*", "公开"},
		{"parentheses", "(行政复议 OR 行政诉讼) 纠正", "AND(OR(行政复议 行政诉讼) 纠正)"},
		{"lower-case or is a word", "a or b", "AND(a or b)"},
		{"parentheses glued to words", "(a OR b)c", "AND(OR(a b) c)"},
	} {
		t.Run(c.quirk, func(t *testing.T) {
			n, err := parseQuery(c.q)
			if err != nil {
				t.Fatalf("parseQuery(%q): %v", c.q, err)
			}
			if got := show(n); got != c.want {
				t.Errorf("parseQuery(%q) = %s, want %s", c.q, got, c.want)
			}
		})
	}
}

func TestMalformedQuery(t *testing.T) {
	for _, c := range []struct {
		q    string
		pos  int
		what string
	}{
		{`"依申请 公开`, 1, "not closed"},
		{`(a OR b`, 1, "not closed"},
		{`a OR b)`, 7, "without an opening"},
		{`a OR`, 3, "OR without a term"},
		{`OR a`, 1, "a term is missing"},
		{`a AND`, 3, "AND without a term"},
		{`-复议`, 1, "nothing to find"},
		{`a OR -b`, 1, "nothing to find"},
		{`a NOT`, 3, "NOT without a term"},
		{`""`, 1, "empty phrase"},
		{`a*b`, 1, "* only ends a term"},
		{`   `, 1, "empty query"},
	} {
		_, err := parseQuery(c.q)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Pos+1 != c.pos || !strings.Contains(qe.Msg, c.what) {
			t.Errorf("parseQuery(%q) = %v, want an error at character %d saying %q", c.q, err, c.pos, c.what)
		}
	}
}
