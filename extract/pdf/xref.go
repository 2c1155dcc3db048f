package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
)

// checkXref walks the file's cross-reference sections as the library will
// (from startxref along /Prev), before the library does, and refuses or
// repairs what would make it loop, recurse without end or allocate
// without bound, none of which can be stopped from outside:
//   - a /Prev that leads back to a section already read (the library reads
//     the chain again forever): the key is renamed in place (/Prev →
//     /Prev with its last letter changed, same length), which ends the
//     chain where it would have started over, losing nothing;
//   - an object stream whose reading needs itself (it lies inside itself,
//     or its /Length, /N, /Extends… is an object inside it or inside a
//     stream that needs it): the library recursed until Go's stack limit, a
//     fatal error no recover catches;
//   - a /Size, /Index or subsection beyond what the file can hold (the
//     library allocates a table of that size: /Size -5 was a raw runtime
//     error, /Size 1e12 runs out of memory).
//
// It returns the data to read (a copy when repaired). What it cannot
// parse it leaves to the library: it never refuses a file the library
// would read, only one it would not survive.
func checkXref(data []byte) ([]byte, error) {
	start, ok := startXref(data)
	if !ok {
		return data, nil
	}
	maxObjects := int64(len(data))/4 + 1024
	entries := map[int64]xrefEntry{} // object number → where it is; first section wins, as in the library
	visited := map[int64]bool{}
	repaired := data
	for off, n := start, 0; off >= 0; n++ {
		if n >= 1024 {
			return nil, fmt.Errorf("pdf: malformed: more than 1024 cross-reference sections")
		}
		visited[off] = true
		sec, err := readSection(data, off, maxObjects)
		if err != nil {
			return nil, err
		}
		if sec == nil {
			break // not one we can read: the library says what is wrong
		}
		for num, e := range sec.entries {
			if _, ok := entries[num]; !ok {
				entries[num] = e
			}
		}
		off = -1
		if sec.prev >= 0 {
			if visited[sec.prev] {
				if &repaired[0] == &data[0] {
					repaired = bytes.Clone(data)
				}
				repaired[sec.prevKeyEnd-1] ^= 0x20 // /Prev → /PreV: a key no one reads
			} else {
				off = sec.prev
			}
		}
	}
	if err := checkObjectStreams(data, entries); err != nil {
		return nil, err
	}
	return repaired, nil
}

// xrefEntry is where an object is: at an offset, or inside an object
// stream.
type xrefEntry struct {
	free     bool
	inStream bool
	stream   int64 // the object stream's number
	offset   int64
}

// section is one cross-reference section: its entries, its /Prev (-1:
// none) and where the /Prev key ends in the file.
type section struct {
	entries    map[int64]xrefEntry
	prev       int64
	prevKeyEnd int
}

// startXref reads the offset after the last startxref.
func startXref(data []byte) (int64, bool) {
	tail := data[max(0, len(data)-1024):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return 0, false
	}
	l := newLexer(data, len(data)-len(tail)+i+len("startxref"))
	n, ok := l.next().(int64)
	return n, ok && n >= 0 && n < int64(len(data))
}

// readSection reads the section at off: a classic table and its trailer,
// or a cross-reference stream. nil, nil: none that can be read there.
func readSection(data []byte, off, maxObjects int64) (*section, error) {
	l := newLexer(data, int(off))
	tok := l.next()
	if tok == keyword("xref") {
		return readTable(l, maxObjects)
	}
	if _, ok := tok.(int64); !ok {
		return nil, nil
	}
	if _, ok := l.next().(int64); !ok || l.next() != keyword("obj") {
		return nil, nil
	}
	d, ok := l.value(0).(dict)
	if !ok || d["Type"].v != pdfName("XRef") {
		return nil, nil
	}
	sec := &section{entries: map[int64]xrefEntry{}, prev: -1}
	if err := sec.trailer(d, maxObjects); err != nil {
		return nil, err
	}
	size := d["Size"].v.(int64)
	index := []int64{0, size}
	if a, ok := d["Index"].v.(array); ok {
		index = index[:0]
		for _, x := range a {
			n, ok := x.(int64)
			if !ok {
				return sec, nil // the library says what is wrong
			}
			index = append(index, n)
		}
	}
	for i := 0; i+1 < len(index); i += 2 {
		if index[i] < 0 || index[i+1] < 0 || index[i]+index[i+1] > maxObjects {
			return nil, fmt.Errorf("pdf: malformed: cross-reference stream /Index %d %d: more objects than the file can hold", index[i], index[i+1])
		}
	}
	var w [3]int
	wa, ok := d["W"].v.(array)
	if !ok || len(wa) < 3 {
		return sec, nil
	}
	for i := range w {
		n, ok := wa[i].(int64)
		if !ok || n < 0 || n > 8 {
			return sec, nil
		}
		w[i] = int(n)
	}
	raw, ok := l.streamData(d)
	if !ok {
		return sec, nil
	}
	width := w[0] + w[1] + w[2]
	var want int64
	for i := 1; i < len(index); i += 2 {
		want += index[i]
	}
	rows, ok := decodeXrefStream(raw, d, want*int64(width))
	if !ok || width == 0 {
		return sec, nil
	}
	field := func(b []byte) int64 {
		var v int64
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		return v
	}
	for i := 0; i+1 < len(index); i += 2 {
		for k := int64(0); k < index[i+1] && len(rows) >= width; k++ {
			row := rows[:width]
			rows = rows[width:]
			typ := int64(1)
			if w[0] > 0 {
				typ = field(row[:w[0]])
			}
			a := field(row[w[0] : w[0]+w[1]])
			switch typ {
			case 0:
				sec.entries[index[i]+k] = xrefEntry{free: true}
			case 1:
				sec.entries[index[i]+k] = xrefEntry{offset: a}
			case 2:
				sec.entries[index[i]+k] = xrefEntry{inStream: true, stream: a}
			}
		}
	}
	return sec, nil
}

// readTable reads a classic table's subsections and its trailer.
func readTable(l *lexer, maxObjects int64) (*section, error) {
	sec := &section{entries: map[int64]xrefEntry{}, prev: -1}
	for {
		tok := l.next()
		if tok == keyword("trailer") {
			break
		}
		first, ok1 := tok.(int64)
		count, ok2 := l.next().(int64)
		if !ok1 || !ok2 {
			return nil, nil
		}
		if first < 0 || count < 0 || first+count > maxObjects {
			return nil, fmt.Errorf("pdf: malformed: cross-reference subsection %d %d: more objects than the file can hold", first, count)
		}
		for i := int64(0); i < count; i++ {
			off, ok1 := l.next().(int64)
			_, ok2 := l.next().(int64)
			kind, ok3 := l.next().(keyword)
			if !ok1 || !ok2 || !ok3 {
				return nil, nil
			}
			if kind == "n" {
				sec.entries[first+i] = xrefEntry{offset: off}
			}
		}
	}
	d, ok := l.value(0).(dict)
	if !ok {
		return nil, nil
	}
	return sec, sec.trailer(d, maxObjects)
}

// trailer reads a trailer's (or cross-reference stream's) /Size and /Prev.
func (sec *section) trailer(d dict, maxObjects int64) error {
	if v, ok := d["Size"]; ok {
		size, isInt := v.v.(int64)
		switch {
		case !isInt:
			return fmt.Errorf("pdf: malformed: trailer /Size is not a number")
		case size < 0 || size > maxObjects:
			return fmt.Errorf("pdf: malformed: trailer /Size %d out of range (0 to %d for a file of this size)", size, maxObjects)
		}
	}
	if v, ok := d["Prev"]; ok {
		if p, ok := v.v.(int64); ok {
			sec.prev, sec.prevKeyEnd = p, v.keyEnd
		}
	}
	return nil
}

// decodeXrefStream returns the rows of a cross-reference stream: raw, or
// inflated with its PNG predictor undone, at most want bytes.
func decodeXrefStream(raw []byte, d dict, want int64) ([]byte, bool) {
	switch f := d["Filter"].v; {
	case f == nil:
		return raw, true
	case f != pdfName("FlateDecode"):
		if a, ok := f.(array); !ok || len(a) != 1 || a[0] != pdfName("FlateDecode") {
			return nil, false
		}
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, false
	}
	cols, pred := int64(1), int64(1)
	if p, ok := d["DecodeParms"].v.(dict); ok {
		if c, ok := p["Columns"].v.(int64); ok && c > 0 && c <= 64 {
			cols = c
		}
		if v, ok := p["Predictor"].v.(int64); ok {
			pred = v
		}
	}
	limit := want
	if pred >= 10 {
		limit += want/cols + 1 // a filter byte per row
	}
	b, _ := io.ReadAll(io.LimitReader(zr, limit))
	if pred < 10 {
		return b, true
	}
	// PNG predictors: a filter byte, then a row of cols bytes.
	var out []byte
	prev := make([]byte, cols)
	for len(b) >= int(cols)+1 {
		ft, row := b[0], b[1:cols+1]
		b = b[cols+1:]
		cur := make([]byte, cols)
		for i := range row {
			var left, up, ul byte
			if i > 0 {
				left, ul = cur[i-1], prev[i-1]
			}
			up = prev[i]
			switch ft {
			case 0:
				cur[i] = row[i]
			case 1:
				cur[i] = row[i] + left
			case 2:
				cur[i] = row[i] + up
			case 3:
				cur[i] = row[i] + byte((int(left)+int(up))/2)
			case 4:
				cur[i] = row[i] + paeth(left, up, ul)
			default:
				return nil, false
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, true
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// checkObjectStreams refuses object streams whose reading needs
// themselves. To read an object inside stream S the library resolves S,
// and to read S it resolves each indirect value of S's dictionary (/N,
// /First, /Length…): when one of those lies inside S, or inside a stream
// whose reading needs S, the resolution never ends (a recursion to Go's
// stack limit). It then goes on to the stream S /Extends, in a loop that
// never ends when the chain comes back.
func checkObjectStreams(data []byte, entries map[int64]xrefEntry) error {
	// needs[S]: the object streams reading S goes through.
	needs := map[int64][]int64{}
	var todo []int64
	for _, e := range entries {
		if e.inStream {
			todo = append(todo, e.stream)
		}
	}
	for len(todo) > 0 {
		s := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if _, done := needs[s]; done {
			continue
		}
		needs[s] = []int64{}
		if len(needs) > 100000 {
			return fmt.Errorf("pdf: malformed: more than 100000 object streams")
		}
		e, ok := entries[s]
		switch {
		case !ok || e.free:
			continue
		case e.inStream:
			needs[s] = append(needs[s], e.stream)
			todo = append(todo, e.stream)
			continue
		}
		l := newLexer(data, int(e.offset))
		if _, ok := l.next().(int64); !ok {
			continue
		}
		l.next()
		if l.next() != keyword("obj") {
			continue
		}
		d, ok := l.value(0).(dict)
		if !ok {
			continue
		}
		for k, v := range d {
			r, ok := v.v.(ref)
			if !ok {
				continue
			}
			if k == "Extends" {
				needs[s] = append(needs[s], int64(r))
				todo = append(todo, int64(r))
			}
			if re, ok := entries[int64(r)]; ok && re.inStream {
				needs[s] = append(needs[s], re.stream)
				todo = append(todo, re.stream)
			}
		}
	}
	// A cycle in needs is a resolution, or a loop, without end.
	const (
		unseen = iota
		open
		closed
	)
	state := map[int64]int{}
	var visit func(s int64, depth int) error
	visit = func(s int64, depth int) error {
		switch state[s] {
		case open:
			return fmt.Errorf("pdf: malformed: object stream %d needs itself to be read (it lies inside itself, extends itself, or its dictionary refers to an object inside it)", s)
		case closed:
			return nil
		}
		if depth > 64 {
			return fmt.Errorf("pdf: malformed: object streams nested more than 64 deep")
		}
		state[s] = open
		for _, t := range needs[s] {
			if err := visit(t, depth+1); err != nil {
				return err
			}
		}
		state[s] = closed
		return nil
	}
	for s := range needs {
		if err := visit(s, 0); err != nil {
			return err
		}
	}
	return nil
}

// A small lexer of PDF objects, enough for trailers and the dictionaries
// of cross-reference and object streams.

type (
	keyword string
	pdfName string
	ref     int64 // an indirect reference's object number
	array   []any
	dict    map[pdfName]dictValue
)

// dictValue is a dictionary's value and where its key ends in the file.
type dictValue struct {
	v      any
	keyEnd int
}

type lexer struct {
	data []byte
	pos  int
	back []any // tokens read ahead
}

func newLexer(data []byte, pos int) *lexer { return &lexer{data: data, pos: pos} }

func isSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool { return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0 }

// next returns the next token: int64, float64, pdfName, keyword ("<<",
// ">>", "[", "]", words), a string's bytes as string, or nil at the end.
func (l *lexer) next() any {
	if n := len(l.back); n > 0 {
		t := l.back[n-1]
		l.back = l.back[:n-1]
		return t
	}
	d := l.data
	for l.pos < len(d) {
		if c := d[l.pos]; isSpace(c) {
			l.pos++
		} else if c == '%' {
			for l.pos < len(d) && d[l.pos] != '\n' && d[l.pos] != '\r' {
				l.pos++
			}
		} else {
			break
		}
	}
	if l.pos >= len(d) {
		return nil
	}
	start := l.pos
	switch c := d[l.pos]; c {
	case '<':
		if l.pos+1 < len(d) && d[l.pos+1] == '<' {
			l.pos += 2
			return keyword("<<")
		}
		end := bytes.IndexByte(d[l.pos:], '>')
		if end < 0 {
			l.pos = len(d)
			return nil
		}
		l.pos += end + 1
		return string(d[start:l.pos])
	case '>':
		if l.pos+1 < len(d) && d[l.pos+1] == '>' {
			l.pos += 2
			return keyword(">>")
		}
		l.pos++
		return keyword(">")
	case '[', ']', '{', '}':
		l.pos++
		return keyword(string(c))
	case '(':
		depth := 0
		for ; l.pos < len(d); l.pos++ {
			switch d[l.pos] {
			case '\\':
				l.pos++
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 {
				l.pos++
				break
			}
		}
		return string(d[start:min(l.pos, len(d))])
	case '/':
		l.pos++
		for l.pos < len(d) && !isSpace(d[l.pos]) && !isDelim(d[l.pos]) {
			l.pos++
		}
		return pdfName(d[start+1 : l.pos])
	}
	for l.pos < len(d) && !isSpace(d[l.pos]) && !isDelim(d[l.pos]) {
		l.pos++
	}
	if l.pos == start {
		l.pos++ // a lone delimiter
	}
	w := string(d[start:l.pos])
	if n, err := strconv.ParseInt(w, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(w, 64); err == nil {
		return f
	}
	return keyword(w)
}

// value reads one object: a dictionary, an array, a reference (N G R) or
// a token. Nesting deeper than 32 is read as nil, a token at a time: every
// call consumes at least one token, so a caller's loop ends.
func (l *lexer) value(depth int) any {
	if depth > 32 {
		l.next()
		return nil
	}
	tok := l.next()
	switch tok {
	case keyword("<<"):
		d := dict{}
		for {
			k := l.next()
			if k == keyword(">>") || k == nil {
				return d
			}
			name, ok := k.(pdfName)
			if !ok {
				continue
			}
			keyEnd := l.pos
			d[name] = dictValue{l.value(depth + 1), keyEnd}
		}
	case keyword("["):
		var a array
		for {
			t := l.next()
			if t == keyword("]") || t == nil {
				return a
			}
			l.back = append(l.back, t)
			a = append(a, l.value(depth+1))
		}
	}
	if n, ok := tok.(int64); ok {
		// N G R is a reference.
		g := l.next()
		if _, ok := g.(int64); ok {
			r := l.next()
			if r == keyword("R") {
				return ref(n)
			}
			l.back = append(l.back, r)
		}
		l.back = append(l.back, g)
	}
	return tok
}

// streamData returns the bytes of the stream whose dictionary was just
// read, when its /Length is direct.
func (l *lexer) streamData(d dict) ([]byte, bool) {
	if l.next() != keyword("stream") || len(l.back) > 0 {
		return nil, false
	}
	p := l.pos
	if p < len(l.data) && l.data[p] == '\r' {
		p++
	}
	if p < len(l.data) && l.data[p] == '\n' {
		p++
	}
	n, ok := d["Length"].v.(int64)
	if !ok || n < 0 || int64(p)+n > int64(len(l.data)) {
		return nil, false
	}
	return l.data[p : p+int(n)], true
}
