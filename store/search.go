package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"govreport/store/segment"
)

// The full-text index over section texts. SQLite's FTS5 cannot cut Chinese
// into words, so the text is stored pre-segmented by gojieba (words joined
// by spaces) and FTS5's unicode61 tokenizer splits it at the spaces:
//   - text: the precise words, in order; snippets are taken from it;
//   - terms: the search-mode words (the dictionary words inside the long
//     ones), so that 公开 also finds 依申请公开.
//
// The rowid of a section's row is docID*sectionSlots + its position in the
// document, so a document's rows are one rowid range. search_indexed says
// which documents are indexed and with which dictionaries; documents not
// in it are indexed by IndexPending (lazily, by `govreport search` or
// `govreport index`), or at save time with Options.IndexOnSave.
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

// sectionSlots bounds the sections of one document in the index.
const sectionSlots = 1000

// KeywordsPerSection is how many keywords are stored for each section.
const KeywordsPerSection = 10

func deleteIndex(ctx context.Context, tx *sql.Tx, docID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM section_fts WHERE rowid BETWEEN ? AND ?`, docID*sectionSlots, docID*sectionSlots+sectionSlots-1); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM section_keywords WHERE doc_id = ?`, docID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM search_indexed WHERE doc_id = ?`, docID)
	return err
}

// indexDoc (re)indexes one document's sections, as stored in tx.
func indexDoc(ctx context.Context, tx *sql.Tx, seg *segment.Segmenter, docID int64) error {
	if err := deleteIndex(ctx, tx, docID); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT number, key, coalesce(heading, ''), text FROM sections WHERE doc_id = ? ORDER BY rowid`, docID)
	if err != nil {
		return err
	}
	type sec struct {
		number            int
		key, heading, txt string
	}
	var secs []sec
	for rows.Next() {
		var s sec
		if err := rows.Scan(&s.number, &s.key, &s.heading, &s.txt); err != nil {
			rows.Close()
			return err
		}
		secs = append(secs, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, s := range secs {
		if i >= sectionSlots {
			break
		}
		words := seg.Cut(s.txt)
		terms := seg.IndexTerms(s.txt, words)
		if _, err := tx.ExecContext(ctx, `INSERT INTO section_fts (rowid, text, terms, doc_id, number, heading) VALUES (?,?,?,?,?,?)`,
			docID*sectionSlots+int64(i), strings.Join(words, " "), strings.Join(terms, " "), docID, s.number, s.heading); err != nil {
			return err
		}
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

// IndexPending indexes the documents not yet in the search index, or
// indexed with other dictionaries, and drops the index rows of documents
// that are gone. The segmenter is loaded only when there is something to
// index. progress, if not nil, is called after each batch.
func (s *Store) IndexPending(ctx context.Context, progress func(done, total int)) (int, error) {
	unlock := s.writing()
	_, err := s.db.ExecContext(ctx, `DELETE FROM section_fts WHERE doc_id NOT IN (SELECT doc_id FROM search_indexed)`)
	unlock()
	if err != nil {
		return 0, err
	}
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
			return done, err
		}
		done = min(start+batch, len(ids))
		if progress != nil {
			progress(done, len(ids))
		}
	}
	return done, nil
}

// indexBatch indexes documents in one transaction.
func (s *Store) indexBatch(ctx context.Context, seg *segment.Segmenter, ids []int64) error {
	defer s.writing()()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, id := range ids {
		if err := indexDoc(ctx, tx, seg, id); err != nil {
			return fmt.Errorf("index document %d: %w", id, err)
		}
	}
	return tx.Commit()
}

// SearchQuery is a full-text query and its filters.
type SearchQuery struct {
	Query    string
	YearFrom int    // 0: no lower bound
	YearTo   int    // 0: no upper bound
	Section  int    // 0: any section
	Agency   string // substring of the agency's name; "": any
	Limit    int    // 0: 20
}

// Hit is one section that matched, best first.
type Hit struct {
	DocID   int64
	Agency  string
	Year    int
	Title   string
	Source  string
	Section int
	Heading string
	Snippet string  // words around the match, the query's words in 【】
	Score   float64 // bm25: lower is better
}

// QueryTokens is how a query is cut: the precise words of the segmenter
// (its user dictionary keeps the domain's terms whole), punctuation
// dropped.
func QueryTokens(query string) ([]string, error) {
	seg, err := segment.Default()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, w := range seg.Cut(query) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			out = append(out, w)
		}
	}
	return out, nil
}

// Search finds the sections whose text has every word of the query,
// ranked by bm25. It searches the index as it is: call IndexPending first.
func (s *Store) Search(ctx context.Context, q SearchQuery) ([]Hit, error) {
	toks, err := QueryTokens(q.Query)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty query")
	}
	quoted := make([]string, len(toks))
	for i, t := range toks {
		quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	where := []string{`section_fts MATCH ?`}
	args := []any{"{text terms} : (" + strings.Join(quoted, " AND ") + ")"}
	if q.YearFrom > 0 {
		where, args = append(where, `d.year >= ?`), append(args, q.YearFrom)
	}
	if q.YearTo > 0 {
		where, args = append(where, `d.year <= ?`), append(args, q.YearTo)
	}
	if q.Section > 0 {
		where, args = append(where, `f.number = ?`), append(args, q.Section)
	}
	if q.Agency != "" {
		where, args = append(where, `instr(d.agency, ?) > 0`), append(args, q.Agency)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, coalesce(d.agency, ''), coalesce(d.year, 0), coalesce(d.title, ''), d.source, f.number, f.heading,
			snippet(section_fts, 0, '【', '】', '…', 24), f.text, bm25(section_fts, 1.0, 0.5) AS score
		FROM section_fts f JOIN documents d ON d.id = f.doc_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY score LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		var h Hit
		var text string
		if err := rows.Scan(&h.DocID, &h.Agency, &h.Year, &h.Title, &h.Source, &h.Section, &h.Heading, &h.Snippet, &text, &h.Score); err != nil {
			return nil, err
		}
		h.Snippet = Unsegment(h.Snippet)
		if !strings.Contains(h.Snippet, "【") {
			// Matched only inside longer words (the terms column).
			h.Snippet = markSnippet(Unsegment(text), toks, 24)
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
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

// Unsegment rejoins words stored with spaces between them: a space is
// dropped unless both its neighbours are ASCII (English words, numbers).
func Unsegment(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r == ' ' {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if prev >= utf8.RuneSelf || next >= utf8.RuneSelf || prev == ' ' {
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
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
