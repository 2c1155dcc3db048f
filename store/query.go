package store

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The search syntax. A query is terms; a section matches a term when its
// text contains the term's characters in order, anywhere (inside words
// too: Chinese has no spaces between words), ASCII letters in any case.
//
//	依申请 公开           both terms (AND between them is implied; AND may be written)
//	依申请 OR 政府信息     either
//	依申请 -复议           the first, not the second (NOT 复议 too)
//	"依申请 公开"          a phrase: the characters between the quotes, spaces included
//	“依申请公开”           full-width quotes work the same
//	公开*                 a prefix: the same as 公开, every term matches inside words
//	(行政复议 OR 行政诉讼) 纠正   parentheses group
//
// AND binds tighter than OR. A query needs at least one term that is not
// negated in each of its alternatives; a malformed query (a quote or a
// parenthesis not closed, an operator without a term) is an error saying
// where.

// QueryError is a malformed search query.
type QueryError struct {
	Query string
	Pos   int // in runes, 0-based
	Msg   string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("query %q, at character %d: %s", e.Query, e.Pos+1, e.Msg)
}

// queryNode is a parsed query.
type queryNode struct {
	op   string // "term", "and", "or", "not"
	text string // term: the characters to find
	kids []*queryNode
}

type qtoken struct {
	kind string // "word", "phrase", "(", ")"
	text string
	pos  int
}

// lexQuery cuts a query into words, phrases and parentheses.
func lexQuery(q string) ([]qtoken, error) {
	rs := []rune(q)
	var out []qtoken
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == ')':
			out = append(out, qtoken{kind: string(r), pos: i})
			i++
		case r == '"' || r == '“' || r == '”':
			closer := '"'
			if r != '"' {
				closer = '”'
			}
			j := i + 1
			for j < len(rs) && rs[j] != closer && !(closer == '”' && rs[j] == '“') {
				j++
			}
			if j >= len(rs) || rs[j] != closer {
				return nil, &QueryError{q, i, "the quote is not closed"}
			}
			text := strings.TrimSpace(string(rs[i+1 : j]))
			if text == "" {
				return nil, &QueryError{q, i, "an empty phrase"}
			}
			out = append(out, qtoken{kind: "phrase", text: text, pos: i})
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune(`()"“”`, rs[j]) {
				j++
			}
			out = append(out, qtoken{kind: "word", text: string(rs[i:j]), pos: i})
			i = j
		}
	}
	return out, nil
}

// parseQuery parses a query (see the syntax above).
func parseQuery(q string) (*queryNode, error) {
	toks, err := lexQuery(q)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, &QueryError{q, 0, "an empty query"}
	}
	p := &queryParser{q: q, toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(toks) {
		return nil, &QueryError{q, toks[p.i].pos, "a closing parenthesis without an opening one"}
	}
	if !positive(n) {
		return nil, &QueryError{q, 0, "nothing to find: every alternative needs a term that is not negated"}
	}
	return n, nil
}

type queryParser struct {
	q    string
	toks []qtoken
	i    int
}

func (p *queryParser) peek() *qtoken {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

func (p *queryParser) isOp(t *qtoken, op string) bool {
	return t != nil && t.kind == "word" && t.text == op
}

func (p *queryParser) end() int { return utf8.RuneCountInString(p.q) }

func (p *queryParser) or() (*queryNode, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	n := &queryNode{op: "or", kids: []*queryNode{first}}
	for p.isOp(p.peek(), "OR") {
		at := p.peek().pos
		p.i++
		if t := p.peek(); t == nil || t.kind == ")" || p.isOp(t, "OR") || p.isOp(t, "AND") {
			return nil, &QueryError{p.q, at, "OR without a term after it"}
		}
		k, err := p.and()
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, k)
	}
	if len(n.kids) == 1 {
		return first, nil
	}
	return n, nil
}

func (p *queryParser) and() (*queryNode, error) {
	n := &queryNode{op: "and"}
	for {
		t := p.peek()
		if t == nil || t.kind == ")" || p.isOp(t, "OR") {
			break
		}
		if p.isOp(t, "AND") {
			p.i++
			if u := p.peek(); u == nil || u.kind == ")" || p.isOp(u, "OR") || p.isOp(u, "AND") || len(n.kids) == 0 {
				return nil, &QueryError{p.q, t.pos, "AND without a term on each side"}
			}
			continue
		}
		k, err := p.not()
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, k)
	}
	switch len(n.kids) {
	case 0:
		at := p.end()
		if t := p.peek(); t != nil {
			at = t.pos
		}
		return nil, &QueryError{p.q, at, "a term is missing here"}
	case 1:
		return n.kids[0], nil
	}
	return n, nil
}

func (p *queryParser) not() (*queryNode, error) {
	t := p.peek()
	if p.isOp(t, "NOT") {
		p.i++
		if p.peek() == nil {
			return nil, &QueryError{p.q, t.pos, "NOT without a term after it"}
		}
		k, err := p.not()
		if err != nil {
			return nil, err
		}
		return &queryNode{op: "not", kids: []*queryNode{k}}, nil
	}
	if t.kind == "word" && strings.HasPrefix(t.text, "-") {
		if t.text == "-" {
			return nil, &QueryError{p.q, t.pos, "- without a term after it"}
		}
		t.text, t.pos = t.text[1:], t.pos+1
		k, err := p.not()
		if err != nil {
			return nil, err
		}
		return &queryNode{op: "not", kids: []*queryNode{k}}, nil
	}
	return p.primary()
}

func (p *queryParser) primary() (*queryNode, error) {
	t := p.peek()
	p.i++
	switch t.kind {
	case "(":
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if u := p.peek(); u == nil || u.kind != ")" {
			return nil, &QueryError{p.q, t.pos, "the parenthesis is not closed"}
		}
		p.i++
		return n, nil
	case ")":
		return nil, &QueryError{p.q, t.pos, "a closing parenthesis without an opening one"}
	case "phrase":
		return &queryNode{op: "term", text: t.text}, nil
	}
	text := t.text
	if strings.HasSuffix(text, "*") {
		text = strings.TrimSuffix(text, "*") // a prefix: every term matches inside words
	}
	if text == "" || strings.Contains(text, "*") {
		return nil, &QueryError{p.q, t.pos, "* only ends a term (公开*)"}
	}
	return &queryNode{op: "term", text: text}, nil
}

// positive reports whether a node can match without matching everything
// it does not exclude: a term, an AND with one such part, an OR of such
// parts.
func positive(n *queryNode) bool {
	switch n.op {
	case "term":
		return true
	case "not":
		return false
	case "and":
		for _, k := range n.kids {
			if positive(k) {
				return true
			}
		}
		return false
	}
	for _, k := range n.kids {
		if !positive(k) {
			return false
		}
	}
	return true
}

// terms returns the texts of the terms not negated, each once.
func (n *queryNode) terms() []string {
	var out []string
	var walk func(*queryNode, bool)
	walk = func(n *queryNode, neg bool) {
		switch n.op {
		case "term":
			if !neg {
				for _, t := range out {
					if t == n.text {
						return
					}
				}
				out = append(out, n.text)
			}
		case "not":
			walk(n.kids[0], !neg)
		default:
			for _, k := range n.kids {
				walk(k, neg)
			}
		}
	}
	walk(n, false)
	return out
}
