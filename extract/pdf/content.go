package pdf

import (
	"errors"
	"io"
	"math"
	"sort"
	"strings"
	"unicode"

	lpdf "github.com/ledongthuc/pdf"

	"govreport/extract/internal/geometry"
)

// run is a piece of text drawn in one go: consecutive glyphs on one baseline
// with no gap between them. Coordinates are in points, Y from the page top
// (the baseline), X0/X1 the left and right ends.
type run struct {
	X0, X1, Y float64
	Size      float64
	Text      string
	Vert      bool    // drawn with a vertical-writing font
	bad       int     // glyphs that could not be decoded
	lastY     float64 // last glyph's y (vertical runs)
	yLo, yHi  float64 // raw y extent of a vertical run's glyph origins
	lastX0    float64 // last glyph's left end
}

type matrix [6]float64 // a b c d e f

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (apply m first, then n).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

type gstate struct {
	ctm                    matrix
	tc, tw, th, tl, tfs, r float64
	font                   *font
}

// pageReader interprets one page's content streams.
type pageReader struct {
	check   func()           // panics when the document's deadline has passed
	fonts   map[string]*font // by BaseFont|Encoding for subset fonts
	runs    []run
	cur     *run
	flipped int // glyphs whose y axis points down in user space
	upright int
	glyphs  int
	depth   int
	forms   int // form XObjects drawn on this page
	buf     []glyph
	ops     int
	placed  []placed  // the page's glyphs in drawing order
	brk     bool      // the next glyph starts a new run
	path    []segment // vertical segments of the path being built
	sides   []segment // sides of its rectangles
	rules   []segment // vertical rules (table borders), raw coordinates
	hpath   []segment // horizontal segments of the path being built (x, y swapped)
	hsides  []segment // top and bottom of its rectangles
	hrules  []segment // horizontal rules: y in x, the x extent in y0, y1
	curX    float64
	curY    float64
	hasCur  bool
}

// placed is a glyph with its position.
type placed struct {
	text            string
	x0, x1, y, size float64
	vert, brk       bool
}

// segment is a vertical line segment at x from y0 to y1.
type segment struct{ x, y0, y1 float64 }

const maxRules = 5000

const maxGlyphsPerPage = 100000

// readPage returns the page's runs and ruling lines, Y measured from the
// top, and the page height.
func (pr *pageReader) readPage(p page) ([]run, []geometry.Rule, float64) {
	pr.runs = pr.runs[:0]
	pr.cur = nil
	pr.placed, pr.path, pr.sides, pr.rules, pr.brk, pr.hasCur = pr.placed[:0], pr.path[:0], pr.sides[:0], pr.rules[:0], false, false
	pr.hpath, pr.hsides, pr.hrules = pr.hpath[:0], pr.hsides[:0], pr.hrules[:0]
	pr.flipped, pr.upright, pr.glyphs, pr.forms = 0, 0, 0, 0
	base, height := display(p.box, p.rotate)
	y0, y1 := 0.0, height
	if c := p.v.Key("Contents"); c.Kind() == lpdf.Stream || c.Kind() == lpdf.Array {
		g := gstate{ctm: base, th: 1}
		pr.interpret(c, p.res, g)
	}
	sort.Slice(pr.rules, func(i, j int) bool { return pr.rules[i].x < pr.rules[j].x })
	for _, gp := range pr.placed {
		if gp.brk {
			pr.flush()
		}
		pr.merge(gp)
	}
	pr.flush()
	runs := make([]run, 0, len(pr.runs))
	for _, r := range pr.runs {
		switch {
		case pr.flipped > pr.upright && r.Vert:
			r.Y = r.yLo - y0
		case pr.flipped > pr.upright:
			// The y axis points down: raw y already counts from the top.
			r.Y = r.Y - y0
		case r.Vert:
			r.Y = y1 - r.yHi // the top of a vertical run
		default:
			r.Y = y1 - r.Y
		}
		runs = append(runs, r)
	}
	// Rules in the runs' frame (flipped pages keep their raw y).
	fy := func(y float64) float64 {
		if pr.flipped > pr.upright {
			return y - y0
		}
		return y1 - y
	}
	rules := make([]geometry.Rule, 0, len(pr.rules)+len(pr.hrules))
	for _, sg := range pr.rules {
		a, b := fy(sg.y0), fy(sg.y1)
		rules = append(rules, geometry.Rule{Vert: true, At: sg.x, Lo: math.Min(a, b), Hi: math.Max(a, b)})
	}
	for _, sg := range pr.hrules {
		rules = append(rules, geometry.Rule{At: fy(sg.x), Lo: sg.y0, Hi: sg.y1})
	}
	return runs, rules, y1 - y0
}

// display returns the matrix from user space to the page as displayed
// (its /Rotate applied, y up, origin at the bottom left) and the displayed
// height. The media box defaults to A4.
func display(mb lpdf.Value, rotate int) (matrix, float64) {
	x0, y0, x1, y1 := 0.0, 0.0, 595.0, 842.0
	if mb.Len() == 4 {
		a, b, c, d := mb.Index(0).Float64(), mb.Index(1).Float64(), mb.Index(2).Float64(), mb.Index(3).Float64()
		if math.Abs(c-a) >= 1 && math.Abs(d-b) >= 1 {
			x0, y0, x1, y1 = math.Min(a, c), math.Min(b, d), math.Max(a, c), math.Max(b, d)
		}
	}
	switch rotate {
	case 90: // turned clockwise: the left edge becomes the top
		return matrix{0, -1, 1, 0, -y0, x1}, x1 - x0
	case 180:
		return matrix{-1, 0, 0, -1, x1, y1}, y1 - y0
	case 270:
		return matrix{0, 1, -1, 0, y1, -x0}, x1 - x0
	}
	return matrix{1, 0, 0, 1, -x0, -y0}, y1 - y0
}

func (pr *pageReader) fontFor(res lpdf.Value, name string) *font {
	v := res.Key("Font").Key(name)
	if v.Kind() != lpdf.Dict {
		return nil
	}
	base := v.Key("BaseFont").Name()
	key := ""
	if i := strings.IndexByte(base, '+'); i == 6 {
		key = base + "|" + v.Key("Encoding").Name() + "|" + v.Key("Subtype").Name()
		if f, ok := pr.fonts[key]; ok {
			return f
		}
	}
	f := newFont(v)
	if key != "" {
		pr.fonts[key] = f
	}
	return f
}

func (pr *pageReader) interpret(strm, res lpdf.Value, g gstate) {
	pr.depth++
	defer func() { pr.depth-- }()
	if pr.depth > 8 {
		return
	}
	if endsInHexString(strm) {
		panic(errOpenHexString)
	}
	var stack []gstate
	var tm, tlm matrix
	fontCache := map[string]*font{}
	var args []lpdf.Value
	lpdf.Interpret(strm, func(stk *lpdf.Stack, op string) {
		pr.ops++
		if pr.ops&1023 == 0 {
			pr.check()
		}
		n := stk.Len()
		if cap(args) < n {
			args = make([]lpdf.Value, n)
		}
		args = args[:n]
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, g)
			}
		case "Q":
			if len(stack) > 0 {
				g = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.r = num(0)
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fontCache[name]
				if !ok {
					f = pr.fontFor(res, name)
					fontCache[name] = f
				}
				g.font = f
				g.tfs = num(1)
			}
		case "Td", "TD":
			if len(args) == 2 {
				if op == "TD" {
					g.tl = -num(1)
				}
				tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
				tm = tlm
			}
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
			tm = tlm
		case "Tj", "'", "\"":
			if len(args) == 0 {
				return
			}
			if op != "Tj" {
				if op == "\"" && len(args) == 3 {
					g.tw, g.tc = num(0), num(1)
				}
				tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
				tm = tlm
			}
			tm = pr.show(args[len(args)-1].RawString(), &g, tm)
		case "TJ":
			if len(args) == 0 {
				return
			}
			a := args[0]
			for i := 0; i < a.Len(); i++ {
				x := a.Index(i)
				if x.Kind() == lpdf.String {
					tm = pr.show(x.RawString(), &g, tm)
				} else {
					adj := -x.Float64() / 1000 * g.tfs
					if g.font != nil && g.font.vertical {
						tm = matrix{1, 0, 0, 1, 0, adj}.mul(tm)
					} else {
						tm = matrix{1, 0, 0, 1, adj * g.th, 0}.mul(tm)
					}
				}
			}
		case "m", "l":
			if len(args) == 2 {
				x, y := g.ctm.apply(num(0), num(1))
				if op == "l" && pr.hasCur && math.Abs(x-pr.curX) < 0.5 && len(pr.path) < maxRules {
					pr.path = append(pr.path, segment{x, math.Min(y, pr.curY), math.Max(y, pr.curY)})
				}
				if op == "l" && pr.hasCur && math.Abs(y-pr.curY) < 0.5 && len(pr.hpath) < maxRules {
					pr.hpath = append(pr.hpath, segment{y, math.Min(x, pr.curX), math.Max(x, pr.curX)})
				}
				pr.curX, pr.curY, pr.hasCur = x, y, true
			}
		case "re":
			if len(args) == 4 && len(pr.path)+len(pr.sides) < maxRules {
				x0, y0 := g.ctm.apply(num(0), num(1))
				x1, y1 := g.ctm.apply(num(0)+num(2), num(1)+num(3))
				lo, hi := math.Min(y0, y1), math.Max(y0, y1)
				left, right := math.Min(x0, x1), math.Max(x0, x1)
				switch {
				case right-left < 2.5:
					pr.path = append(pr.path, segment{(x0 + x1) / 2, lo, hi}) // a thin rect: a rule
				case hi-lo < 2.5:
					pr.hpath = append(pr.hpath, segment{(lo + hi) / 2, left, right})
				default:
					pr.sides = append(pr.sides, segment{x0, lo, hi}, segment{x1, lo, hi})
					pr.hsides = append(pr.hsides, segment{lo, left, right}, segment{hi, left, right})
				}
			}
		case "S", "s", "B", "B*", "b", "b*", "f", "F", "f*":
			// Lines and thin rects are rules; a box's sides only when stroked.
			add := pr.path
			if op != "f" && op != "F" && op != "f*" {
				add = append(add, pr.sides...)
			}
			for _, sg := range add {
				if sg.y1-sg.y0 > 3 && len(pr.rules) < maxRules {
					pr.rules = append(pr.rules, sg)
				}
			}
			hadd := pr.hpath
			if op != "f" && op != "F" && op != "f*" {
				hadd = append(hadd, pr.hsides...)
			}
			for _, sg := range hadd {
				if sg.y1-sg.y0 > 3 && len(pr.hrules) < maxRules {
					pr.hrules = append(pr.hrules, sg)
				}
			}
			pr.path, pr.sides, pr.hasCur = pr.path[:0], pr.sides[:0], false
			pr.hpath, pr.hsides = pr.hpath[:0], pr.hsides[:0]
		case "n":
			pr.path, pr.sides, pr.hasCur = pr.path[:0], pr.sides[:0], false
			pr.hpath, pr.hsides = pr.hpath[:0], pr.hsides[:0]
		case "Do":
			if len(args) != 1 {
				return
			}
			xo := res.Key("XObject").Key(args[0].Name())
			if xo.Key("Subtype").Name() != "Form" || pr.forms >= 500 {
				return
			}
			pr.forms++
			fg := g
			if m := xo.Key("Matrix"); m.Len() == 6 {
				fm := matrix{}
				for i := range fm {
					fm[i] = m.Index(i).Float64()
				}
				fg.ctm = fm.mul(g.ctm)
			}
			fres := xo.Key("Resources")
			if fres.Kind() != lpdf.Dict {
				fres = res
			}
			pr.brk = true
			pr.interpret(xo, fres, fg)
			pr.brk = true
		}
	})
}

// show draws one string, appending its glyphs to runs, and returns the
// advanced text matrix.
func (pr *pageReader) show(s string, g *gstate, tm matrix) matrix {
	f := g.font
	if f == nil || len(s) == 0 {
		return tm
	}
	pr.buf = f.glyphs(s, pr.buf)
	for _, gl := range pr.buf {
		pr.glyphs++
		if pr.glyphs > maxGlyphsPerPage {
			return tm
		}
		trm := matrix{g.tfs * g.th, 0, 0, g.tfs, 0, g.r}.mul(tm).mul(g.ctm)
		x, y := trm[4], trm[5]
		w := gl.w * f.widthScale
		size := math.Hypot(trm[2], trm[3])
		// Text turned a quarter (Word's vertical cell text) reads along y
		// like a vertical font.
		rot := !f.vertical && math.Abs(trm[1]) > 2*math.Abs(trm[0])
		var x1 float64
		switch {
		case f.vertical:
			// Vertical glyphs hang from their origin: centred on x.
			x, x1 = x-size/2, x+size/2
		case rot && trm[1] > 0: // reads upwards, glyphs to the left
			x, x1 = x-size, x
		case rot:
			x1 = x + size
		default:
			x1, _ = trm.apply(w, 0)
			if trm[3] < 0 {
				pr.flipped++
			} else {
				pr.upright++
			}
		}
		pr.placed = append(pr.placed, placed{text: gl.text, x0: x, x1: x1, y: y, size: size, vert: f.vertical || rot, brk: pr.brk})
		pr.brk = false
		if f.vertical {
			// Default vertical advance: one em down (DW2 [880 -1000]).
			ty := -g.tfs + g.tc
			if gl.space {
				ty += g.tw
			}
			tm = matrix{1, 0, 0, 1, 0, ty}.mul(tm)
		} else {
			tx := w*g.tfs + g.tc
			if gl.space {
				tx += g.tw
			}
			tm = matrix{1, 0, 0, 1, tx * g.th, 0}.mul(tm)
		}
	}
	return tm
}

// ruleBetween reports whether a vertical rule stands between x lo and hi
// at height y.
func (pr *pageReader) ruleBetween(lo, hi, y float64) bool {
	i := sort.Search(len(pr.rules), func(i int) bool { return pr.rules[i].x >= lo })
	for ; i < len(pr.rules) && pr.rules[i].x <= hi; i++ {
		if r := pr.rules[i]; y >= r.y0-1 && y <= r.y1+1 {
			return true
		}
	}
	return false
}

// merge appends a glyph to the current run or starts a new one.
func (pr *pageReader) merge(gp placed) {
	t, x0, x1, y, size, vert := gp.text, gp.x0, gp.x1, gp.y, gp.size, gp.vert
	bad := 0
	if t == "" || t == "\uFFFD" {
		bad = 1
		t = "\uFFFD"
	}
	if x1 < x0 {
		x0, x1 = x1, x0
	}
	c := pr.cur
	if c != nil && vert && c.Vert && math.Abs(c.X0-x0) < 0.2*size {
		if dy := math.Abs(c.lastY - y); dy > 0.3*size && dy < 1.6*size {
			c.Text += t
			c.lastY = y
			c.yLo, c.yHi = math.Min(c.yLo, y), math.Max(c.yHi, y)
			c.bad += bad
			return
		}
	}
	if c != nil && !vert && !c.Vert && math.Abs(c.Y-y) < 0.2*size && x0 > c.X1-0.6*size && x0 < c.X1+0.6*size && math.Abs(c.Size-size) < 0.3*size && (len(pr.rules) == 0 || !pr.ruleBetween(c.lastX0+0.1, x0+0.3, y)) && !apartDigits(c, t, x0, size) {
		if x0 > c.X1+0.2*size && !strings.HasSuffix(c.Text, " ") && t != " " {
			c.Text += " "
		}
		c.Text += t
		c.lastX0 = x0
		if x1 > c.X1 {
			c.X1 = x1
		}
		c.bad += bad
		return
	}
	pr.flush()
	if t == " " {
		return
	}
	pr.cur = &run{X0: x0, X1: x1, Y: y, Size: size, Text: t, Vert: vert, bad: bad, lastY: y, lastX0: x0, yLo: y, yHi: y}
}

// numberGap (em): a digit this far right of the digit before it starts
// another number (a space is about a quarter em; digits of one number
// touch).
const numberGap = 0.2

// apartDigits reports whether a digit glyph stands apart from the digit
// ending the run: two numbers (the cells of a table without rules), which
// stay two runs, never one number.
func apartDigits(c *run, t string, x0, size float64) bool {
	if x0-c.X1 <= numberGap*size || t == "" || !unicode.IsDigit(rune(t[0])) {
		return false
	}
	last := strings.TrimRight(c.Text, " ")
	return last != "" && unicode.IsDigit(rune(last[len(last)-1]))
}

func (pr *pageReader) flush() {
	if pr.cur == nil {
		return
	}
	c := pr.cur
	pr.cur = nil
	c.Text = strings.TrimRight(c.Text, " ")
	if c.Text == "" {
		return
	}
	pr.runs = append(pr.runs, *c)
}

// errOpenHexString is the error of a content stream the library would
// read forever: it ends inside a hex string (<0A1B… without its '>'),
// where the library's lexer, past the end, reads white space without end
// (found by make fuzz: a 582-byte file held its parse until the time
// limit, and the abandoned call ran on).
var errOpenHexString = errors.New("the content stream ends inside a hex string")

// endsInHexString reports whether the content (a stream, or an array of
// streams read as one, as the library reads them) ends inside a hex
// string, lexed as the library lexes it: comments and literal strings
// skipped, "<<" a dictionary, '<' a hex string of hex digits and white
// space up to '>'. The streams are read once more, in constant memory.
func endsInHexString(strm lpdf.Value) bool {
	var rd io.Reader
	if strm.Kind() == lpdf.Array {
		var rs []io.Reader
		for i := 0; i < strm.Len(); i++ {
			rs = append(rs, strm.Index(i).Reader())
		}
		rd = io.MultiReader(rs...)
	} else {
		rd = strm.Reader()
	}
	const (
		normal = iota
		comment
		literal
		less   // after a '<': a dictionary or a hex string
		hex    // in a hex string, before a pair's first digit
		second // in a hex string, before a pair's second digit
	)
	state, depth, escaped := normal, 0, false
	var first byte
	var buf [32 << 10]byte
	for {
		n, err := rd.Read(buf[:])
		for _, c := range buf[:n] {
			if state == less {
				state = hex
				if c == '<' {
					state = normal
					continue
				}
			}
			switch state {
			case normal:
				switch c {
				case '%':
					state = comment
				case '(':
					state, depth = literal, 1
				case '<':
					state = less
				}
			case comment:
				if c == '\r' || c == '\n' {
					state = normal
				}
			case literal:
				switch {
				case escaped:
					escaped = false
				case c == '\\':
					escaped = true
				case c == '(':
					depth++
				case c == ')':
					if depth--; depth == 0 {
						state = normal
					}
				}
			case hex:
				// As the library reads a pair: its first character (any
				// but white space; '>' ends the string), then its second,
				// and only then checks that both are hex digits.
				switch {
				case c == '>':
					state = normal
				case !isPDFSpace(c):
					state, first = second, c
				}
			case second:
				if !isPDFSpace(c) {
					if !isHexDigit(first) || !isHexDigit(c) {
						return false // the library fails here: malformed, not endless
					}
					state = hex
				}
			}
		}
		if err != nil {
			break
		}
	}
	return state == less || state == hex || state == second
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isPDFSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}
