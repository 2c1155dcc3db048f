package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"govreport/store/segment"
)

// Search and keywords. Migration 3 made a word index segmented by jieba
// (section_fts), searched with the query cut by the same dictionary: it
// missed the words jieba cut otherwise (依申请 inside 依申请公开) and every
// search process loaded the dictionary. Migration 7 replaces it with a
// trigram index (sectionTextSchema, sectionTextBatchSchema), which needs no
// dictionary; jieba still picks each section's keywords.
//
// search_indexed says which documents have keywords and from which
// dictionaries; IndexPending (`govreport index`, `govreport keywords`)
// extracts them for the others, or Save does with Options.IndexOnSave.
// Migration 3.
const searchSchema = `CREATE VIRTUAL TABLE IF NOT EXISTS section_fts USING fts5(text, terms, doc_id UNINDEXED, number UNINDEXED, heading UNINDEXED, tokenize = 'unicode61');
CREATE TABLE IF NOT EXISTS search_indexed (
  doc_id     INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  segmenter  TEXT NOT NULL,  -- dictionaries' version; another version is reindexed
  indexed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS section_keywords (
  doc_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  number  INTEGER NOT NULL,  -- sections.number
  key     TEXT NOT NULL,     -- sections.key
  rank    INTEGER NOT NULL,  -- 1: highest weight
  keyword TEXT NOT NULL,
  weight  REAL NOT NULL      -- TF-IDF
);
CREATE INDEX IF NOT EXISTS section_keywords_doc ON section_keywords(doc_id, number);
CREATE INDEX IF NOT EXISTS section_keywords_word ON section_keywords(keyword);`

// sectionTextSchema is the trigram index of section texts: an FTS5 table
// over the sections table's text (no copy), kept by triggers as sections
// are written, so that every imported document is searchable at once.
// Migration 7.
const sectionTextSchema = `DROP TABLE IF EXISTS section_fts;
CREATE VIRTUAL TABLE section_text USING fts5(text, content = 'sections', content_rowid = 'rowid', tokenize = 'trigram');
CREATE TRIGGER sections_text_insert AFTER INSERT ON sections BEGIN
  INSERT INTO section_text (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER sections_text_delete AFTER DELETE ON sections BEGIN
  INSERT INTO section_text (section_text, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER sections_text_update AFTER UPDATE OF text ON sections BEGIN
  INSERT INTO section_text (section_text, rowid, text) VALUES ('delete', old.rowid, old.text);
  INSERT INTO section_text (rowid, text) VALUES (new.rowid, new.text);
END;
INSERT INTO section_text (section_text) VALUES ('rebuild');`

// sectionTextBatchSchema drops the trigger that indexed each section as it
// was inserted: Save and SaveBatch index a transaction's new sections in
// one statement at its end (indexSections). FTS5 writes what it holds in
// memory to a new segment at every savepoint, and each INSERT into
// sections opened one (its statement journal), so the trigger wrote one
// small segment per section, then merged them: about 3× the CPU of
// indexing the same sections at once. The index holds the same entries.
// Migration 11.
const sectionTextBatchSchema = `DROP TRIGGER IF EXISTS sections_text_insert;`

// indexSections adds the sections of the documents docs to the trigram
// index, in one statement: see sectionTextBatchSchema. The documents'
// sections must not be indexed yet (they were just inserted).
func indexSections(ctx context.Context, q querier, docs []int64) error {
	for len(docs) > 0 {
		n := min(len(docs), 500)
		args := make([]any, n)
		for i, id := range docs[:n] {
			args[i] = id
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO section_text (rowid, text) SELECT rowid, text FROM sections
			WHERE doc_id IN (?`+strings.Repeat(",?", n-1)+`) ORDER BY rowid`, args...); err != nil {
			return fmt.Errorf("index sections: %w", err)
		}
		docs = docs[n:]
	}
	return nil
}

// KeywordsPerSection is how many keywords are stored for each section.
const KeywordsPerSection = 10

// deleteIndex drops a document's keywords (it is being replaced).
func deleteIndex(ctx context.Context, tx *sql.Tx, docID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM section_keywords WHERE doc_id = ?`, docID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM search_indexed WHERE doc_id = ?`, docID)
	return err
}

// indexDoc (re)extracts one document's keywords, from its sections as
// stored in tx.
func indexDoc(ctx context.Context, tx *sql.Tx, seg *segment.Segmenter, docID int64) error {
	if err := deleteIndex(ctx, tx, docID); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT number, key, text FROM sections WHERE doc_id = ? ORDER BY rowid`, docID)
	if err != nil {
		return err
	}
	type sec struct {
		number   int
		key, txt string
	}
	var secs []sec
	for rows.Next() {
		var s sec
		if err := rows.Scan(&s.number, &s.key, &s.txt); err != nil {
			rows.Close()
			return err
		}
		secs = append(secs, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, s := range secs {
		for r, k := range seg.Keywords(s.txt, KeywordsPerSection) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO section_keywords (doc_id, number, key, rank, keyword, weight) VALUES (?,?,?,?,?,?)`,
				docID, s.number, s.key, r+1, k.Word, k.Weight); err != nil {
				return err
			}
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO search_indexed (doc_id, segmenter, indexed_at) VALUES (?,?,?)`,
		docID, segment.Version(), time.Now().UTC().Format(time.RFC3339))
	return err
}

// ErrReadOnly is IndexPending's error when documents are to be indexed
// but the database cannot be written.
var ErrReadOnly = errors.New("the database is read-only")

// IndexPending extracts the keywords of the documents that have none yet,
// or have them from other dictionaries. The segmenter is loaded only when
// there is something to do. progress, if not nil, is called after each
// batch. Search does not need it: the trigram index follows every save.
// On a database that cannot be written it returns the number of documents
// left without keywords and ErrReadOnly.
func (s *Store) IndexPending(ctx context.Context, progress func(done, total int)) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM search_indexed WHERE segmenter = ?) ORDER BY id`, segment.Version())
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return 0, err
	}
	if s.opt.ReadOnly {
		return len(ids), ErrReadOnly
	}
	seg, err := segment.Default()
	if err != nil {
		return 0, err
	}
	const batch = 64
	done := 0
	for start := 0; start < len(ids); start += batch {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		if err := s.indexBatch(ctx, seg, ids[start:min(start+batch, len(ids))]); err != nil {
			if isReadOnly(err) {
				return len(ids) - done, ErrReadOnly
			}
			return done, err
		}
		done = min(start+batch, len(ids))
		if progress != nil {
			progress(done, len(ids))
		}
	}
	return done, nil
}

// indexBatch extracts the keywords of documents in one transaction.
func (s *Store) indexBatch(ctx context.Context, seg *segment.Segmenter, ids []int64) error {
	defer s.writing()()
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, id := range ids {
		if err := indexDoc(ctx, tx, seg, id); err != nil {
			return fmt.Errorf("keywords of document %d: %w", id, err)
		}
	}
	return tx.Commit()
}

// SearchQuery is a full-text query and its filters.
type SearchQuery struct {
	Query    string // see the syntax in query.go: terms, "phrases", OR, -NOT, (groups)
	YearFrom int    // 0: no lower bound
	YearTo   int    // 0: no upper bound
	Section  int    // 0: any section
	Agency   string // substring of the agency's name (normalised or printed); "": any
	Limit    int    // 0: 20
}

// Hit is one section that matched, best first.
type Hit struct {
	DocID    int64   `json:"doc_id"`
	ReportID int64   `json:"report_id,omitempty"` // 0: the document is in no report
	Agency   string  `json:"agency"`
	Year     int     `json:"year"`
	Title    string  `json:"title"`
	Source   string  `json:"source"`
	Section  int     `json:"section"`
	Heading  string  `json:"heading"`
	Snippet  string  `json:"snippet"` // text around the first match, the query's terms in 【】
	Score    float64 `json:"score"`   // relevance (BM25 over the terms' occurrences): higher is better
}

// SearchResult is what Search found: the best hits and how many sections
// matched in all.
type SearchResult struct {
	Total int   `json:"total"`
	Hits  []Hit `json:"hits"`
}

// More is the number of matching sections not in Hits (cut at the limit).
func (r SearchResult) More() int { return r.Total - len(r.Hits) }

// BM25's parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Search finds every section whose text matches the query (see query.go),
// in documents that are reports, ranked by relevance: BM25 over the
// occurrences of the query's terms. A term of three characters or more is
// looked up in the trigram index (section_text); a shorter one is looked
// for in every section's text (LIKE). No dictionary is loaded. A
// malformed query is a *QueryError.
func (s *Store) Search(ctx context.Context, q SearchQuery) (SearchResult, error) {
	var res SearchResult
	if n := utf8.RuneCountInString(q.Query); n > MaxQueryChars {
		return res, fmt.Errorf("query of %d characters: at most %d", n, MaxQueryChars)
	}
	root, err := parseQuery(q.Query)
	if err != nil {
		return res, err
	}
	root = distinct(root)
	if n := len(root.terms()); n > MaxQueryTerms {
		return res, fmt.Errorf("query of %d distinct terms: at most %d", n, MaxQueryTerms)
	}
	pred, args := matchSQL(root)
	where := []string{pred, `d.status <> 'not_report'`}
	if q.YearFrom > 0 {
		where, args = append(where, `d.year >= ?`), append(args, q.YearFrom)
	}
	if q.YearTo > 0 {
		where, args = append(where, `d.year <= ?`), append(args, q.YearTo)
	}
	if q.Section > 0 {
		where, args = append(where, `s.number = ?`), append(args, q.Section)
	}
	if q.Agency != "" {
		where, args = append(where, `(instr(d.agency, ?) > 0 OR instr(a.name, ?) > 0)`), append(args, q.Agency, q.Agency)
	}
	from := ` FROM sections s JOIN documents d ON d.id = s.doc_id LEFT JOIN agencies a ON a.id = d.agency_id WHERE ` + strings.Join(where, " AND ")
	if err := s.db.QueryRowContext(ctx, `SELECT count(*)`+from, args...).Scan(&res.Total); err != nil {
		return res, err
	}
	if res.Total == 0 {
		return res, nil
	}
	score, scoreArgs, err := s.scoreSQL(ctx, root.terms())
	if err != nil {
		return res, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.db.QueryContext(ctx, `SELECT s.doc_id, coalesce(d.report_id, 0), coalesce(a.name, d.agency, ''), coalesce(d.year, 0), coalesce(d.title, ''), d.source,
			s.number, coalesce(s.heading, ''), s.text, `+score+` AS score`+from+`
		ORDER BY score DESC, s.doc_id, s.rowid LIMIT ?`, append(append(scoreArgs, args...), limit)...)
	if err != nil {
		return res, err
	}
	defer rows.Close()
	terms := root.terms()
	for rows.Next() {
		var h Hit
		var text string
		if err := rows.Scan(&h.DocID, &h.ReportID, &h.Agency, &h.Year, &h.Title, &h.Source, &h.Section, &h.Heading, &text, &h.Score); err != nil {
			return res, err
		}
		h.Snippet = markSnippet(text, terms, 24)
		res.Hits = append(res.Hits, h)
	}
	return res, rows.Err()
}

// The bounds of a query: each term costs a pass over the sections that
// may hold it and a part of the score, so the cost grows with the terms
// (one word repeated 300 times took 58 s, a query of 1 MB did not end); no
// real question needs more.
const (
	MaxQueryChars = 1000 // characters of the query as typed
	MaxQueryTerms = 32   // distinct terms once parsed
)

// distinct drops the repeats among the operands of each AND and OR: 公开
// 公开 公开 asks what 公开 asks, once.
func distinct(n *queryNode) *queryNode {
	if n.op == "term" {
		return n
	}
	var kids []*queryNode
	seen := map[string]bool{}
	for _, k := range n.kids {
		k = distinct(k)
		key := ""
		switch {
		case k.op == "term":
			key = "+" + k.text
		case k.op == "not" && k.kids[0].op == "term":
			key = "-" + k.kids[0].text
		}
		if key != "" && seen[key] {
			continue
		}
		seen[key] = true
		kids = append(kids, k)
	}
	return &queryNode{op: n.op, text: n.text, kids: kids}
}

// matchSQL is the condition, on sections s, that a section matches the
// query, and its arguments.
func matchSQL(n *queryNode) (string, []any) {
	switch n.op {
	case "term":
		if utf8.RuneCountInString(n.text) >= 3 {
			// a phrase of the term's trigrams: its characters in a row
			return `s.rowid IN (SELECT rowid FROM section_text WHERE section_text MATCH ?)`, []any{`"` + strings.ReplaceAll(n.text, `"`, `""`) + `"`}
		}
		return `s.text LIKE ? ESCAPE '\'`, []any{"%" + likeEscape(n.text) + "%"}
	case "not":
		p, a := matchSQL(n.kids[0])
		return `NOT (` + p + `)`, a
	}
	var parts []string
	var args []any
	for _, k := range n.kids {
		p, a := matchSQL(k)
		parts, args = append(parts, "("+p+")"), append(args, a...)
	}
	sep := " AND "
	if n.op == "or" {
		sep = " OR "
	}
	return strings.Join(parts, sep), args
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// scoreSQL is the BM25 score of a section s for the terms, as an SQL
// expression, and its arguments: for each term, its inverse document
// frequency over all sections times its saturated frequency in the
// section (occurrences, ASCII case folded), normalised by the section's
// length.
func (s *Store) scoreSQL(ctx context.Context, terms []string) (string, []any, error) {
	var n int
	var avg sql.NullFloat64
	// the average length from the first thousand sections: reading every
	// text to measure it would cost more than the search
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM sections), (SELECT avg(length(text)) FROM (SELECT text FROM sections LIMIT 1000))`).Scan(&n, &avg); err != nil {
		return "", nil, err
	}
	avgLen := max(avg.Float64, 1)
	var parts []string
	var args []any
	for _, t := range terms {
		p, a := matchSQL(&queryNode{op: "term", text: t})
		var df int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sections s WHERE `+p, a...).Scan(&df); err != nil {
			return "", nil, err
		}
		idf := math.Log((float64(n-df)+0.5)/(float64(df)+0.5) + 1)
		tf := `((length(s.text) - length(replace(lower(s.text), lower(?), ''))) * 1.0 / ?)`
		parts = append(parts, `? * `+tf+` * ? / (`+tf+` + ? * (1 - ? + ? * length(s.text) / ?))`)
		l := utf8.RuneCountInString(t)
		args = append(args, idf, t, l, bm25K1+1, t, l, bm25K1, bm25B, bm25B, avgLen)
	}
	return "(" + strings.Join(parts, " + ") + ")", args, nil
}

// markSnippet cuts about width characters of text either side of the
// first query word and puts every query word in 【】.
func markSnippet(text string, toks []string, width int) string {
	first := -1
	for _, t := range toks {
		if i := strings.Index(text, t); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	if first < 0 {
		first = 0
	}
	r := []rune(text)
	at := utf8.RuneCountInString(text[:first])
	from, to := max(0, at-width), min(len(r), at+2*width)
	out := string(r[from:to])
	if from > 0 {
		out = "…" + out
	}
	if to < len(r) {
		out += "…"
	}
	sorted := slices.Clone(toks)
	slices.SortFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	var pairs []string
	for _, t := range sorted {
		pairs = append(pairs, t, "【"+t+"】")
	}
	return strings.NewReplacer(pairs...).Replace(out)
}

// SectionKeyword is one stored keyword of a section.
type SectionKeyword struct {
	Rank    int
	Keyword string
	Weight  float64
}

// Keywords returns the stored keywords of a document's section number n.
func (s *Store) Keywords(ctx context.Context, docID int64, n int) ([]SectionKeyword, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT rank, keyword, weight FROM section_keywords WHERE doc_id = ? AND number = ? ORDER BY rank`, docID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SectionKeyword
	for rows.Next() {
		var k SectionKeyword
		if err := rows.Scan(&k.Rank, &k.Keyword, &k.Weight); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// KeywordQuery selects stored keywords.
type KeywordQuery struct {
	DocID    int64  // 0: the representative of every report that names its agency and year
	YearFrom int    // 0: no lower bound
	YearTo   int    // 0: no upper bound
	Section  int    // 0: any section
	Agency   string // substring of the agency's name (normalised or printed); "": any
	Limit    int    // 0: 30
}

// KeywordCount is a keyword across the sections selected.
type KeywordCount struct {
	Keyword  string  `json:"keyword"`
	Sections int     `json:"sections"` // sections it is among the keywords of
	Weight   float64 `json:"weight"`   // its TF-IDF weights summed
}

// KeywordTotals ranks the stored keywords of the sections selected by the
// sum of their weights. Keywords are stored by IndexPending.
func (s *Store) KeywordTotals(ctx context.Context, q KeywordQuery) ([]KeywordCount, error) {
	where, args := []string{"1"}, []any{}
	if q.DocID != 0 {
		where, args = append(where, `k.doc_id = ?`), append(args, q.DocID)
	} else {
		where = append(where, `k.doc_id IN (SELECT r.doc_id FROM `+reportFrom+` WHERE `+attributed+`)`)
	}
	if q.YearFrom > 0 {
		where, args = append(where, `d.year >= ?`), append(args, q.YearFrom)
	}
	if q.YearTo > 0 {
		where, args = append(where, `d.year <= ?`), append(args, q.YearTo)
	}
	if q.Section > 0 {
		where, args = append(where, `k.number = ?`), append(args, q.Section)
	}
	if q.Agency != "" {
		where, args = append(where, `(instr(d.agency, ?) > 0 OR instr(a.name, ?) > 0)`), append(args, q.Agency, q.Agency)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 30
	}
	rows, err := s.db.QueryContext(ctx, `SELECT k.keyword, count(*), sum(k.weight) AS w
		FROM section_keywords k JOIN documents d ON d.id = k.doc_id LEFT JOIN agencies a ON a.id = d.agency_id
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY k.keyword ORDER BY w DESC, k.keyword LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []KeywordCount
	for rows.Next() {
		var k KeywordCount
		if err := rows.Scan(&k.Keyword, &k.Sections, &k.Weight); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
