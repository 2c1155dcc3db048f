package store

import "context"

// Count is one group of a breakdown.
type Count struct {
	Key string
	N   int
}

// Stats summarizes the database.
type Stats struct {
	Documents    int
	ByYear       []Count
	ByLayout     []Count
	ByFormat     []Count
	ByStatus     []Count
	CellsFound   int // template cells with a value or a printed blank
	CellsFlagged int
	ChecksFailed []Count // by rule
	ChecksRun    int
	Unsupported  []Count // files stored but not read (status unsupported, or no_text: a scan without OCR), by format and reason ("doc: …")
	Reports      int     // reports the readable documents make (see reports.go)
	Attributed   int     // of them, those that name their agency and year: the views' rows
	NotReports   int     // documents with status not_report
	Agencies     int
	Placed       int // agencies with a region
}

// Stats counts documents by year, layout, format and status, cells of the
// templates' tables found, checks failed by rule, the files not read by
// their reason, reports, documents that are not reports and agencies.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&st.Documents); err != nil {
		return st, err
	}
	groups := []struct {
		q   string
		dst *[]Count
	}{
		{`SELECT coalesce(CAST(year AS TEXT), '?'), count(*) FROM documents GROUP BY year ORDER BY year`, &st.ByYear},
		{`SELECT coalesce(layout, '?'), count(*) FROM documents GROUP BY layout ORDER BY layout`, &st.ByLayout},
		{`SELECT format, count(*) FROM documents GROUP BY format ORDER BY format`, &st.ByFormat},
		{`SELECT status, count(*) FROM documents GROUP BY status ORDER BY status`, &st.ByStatus},
		{`SELECT rule, count(*) FROM checks WHERE status = 'fail' GROUP BY rule ORDER BY rule`, &st.ChecksFailed},
		{`SELECT format || ': ' || coalesce(error, ''), count(*) FROM documents WHERE status IN ('unsupported', 'no_text')
			GROUP BY format, error ORDER BY count(*) DESC, format, error`, &st.Unsupported},
	}
	for _, g := range groups {
		rows, err := s.db.QueryContext(ctx, g.q)
		if err != nil {
			return st, err
		}
		for rows.Next() {
			var c Count
			if err := rows.Scan(&c.Key, &c.N); err != nil {
				rows.Close()
				return st, err
			}
			*g.dst = append(*g.dst, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return st, err
		}
	}
	tables, _ := tableColumns(s.opt.Templates)
	err := s.db.QueryRowContext(ctx, `SELECT
		count(CASE WHEN value IS NOT NULL OR flags LIKE '%not_reported%' THEN 1 END),
		count(CASE WHEN flags LIKE '%uncertain%' OR flags LIKE '%ambiguous%' THEN 1 END)
		FROM cells WHERE tbl IN (`+marks(len(tables))+`)`, strs(tables)...).Scan(&st.CellsFound, &st.CellsFlagged)
	if err != nil {
		return st, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM checks),
		(SELECT count(*) FROM reports), (SELECT count(*) FROM `+reportFrom+` WHERE `+attributed+`),
		(SELECT count(*) FROM documents WHERE status = 'not_report'),
		(SELECT count(*) FROM agencies), (SELECT count(*) FROM agencies WHERE region_from IS NOT NULL)`).
		Scan(&st.ChecksRun, &st.Reports, &st.Attributed, &st.NotReports, &st.Agencies, &st.Placed)
	return st, err
}

// FoundByLayout counts, per layout of the templates, the documents and the
// template cells they were read with (a value, or a blank printed as not
// reported); rows an agency added are left out.
func (s *Store) FoundByLayout(ctx context.Context) (docs, found map[string]int, err error) {
	docs, found = map[string]int{}, map[string]int{}
	tables, _ := tableColumns(s.opt.Templates)
	var layouts []string
	for _, t := range s.opt.Templates {
		layouts = append(layouts, t.Layout)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT d.layout, count(DISTINCT d.id),
		count(CASE WHEN c.value IS NOT NULL OR c.flags LIKE '%not_reported%' THEN 1 END)
		FROM documents d LEFT JOIN cells c ON c.doc_id = d.id AND c.tbl IN (`+marks(len(tables))+`) AND c.row_key NOT LIKE 'x\_%' ESCAPE '\'
		WHERE d.layout IN (`+marks(len(layouts))+`) GROUP BY d.layout`, append(strs(tables), strs(layouts)...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l string
		var n, f int
		if err := rows.Scan(&l, &n, &f); err != nil {
			return nil, nil, err
		}
		docs[l], found[l] = n, f
	}
	return docs, found, rows.Err()
}

// countBy runs a "SELECT key, count(*) … GROUP BY key" query into a map.
func (s *Store) countBy(ctx context.Context, q string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		m[k] = n
	}
	return m, rows.Err()
}
