package store

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"govreport"
)

// The measures view: what analysts compute from every report, one row per
// report (its representative document's values). Rates are NULL when their denominator is missing or zero.
//
// Timeliness: the legal deadline for the report on year Y is
//   - reports on 2018 and earlier (2007 regulation, art. 31): 31 March of Y+1
//     for every agency;
//   - from 2019 (2019 regulation, art. 49–50): 31 January of Y+1 for an
//     agency's own report, 31 March of Y+1 for the summary report of a
//     local government at county level or above.
//
// A report is a government's summary report (summary = 1) when its agency
// ends in 人民政府 but not in 乡/镇人民政府 or 街道办事处, or when its title
// reads …区/县/市[年份]政府信息公开工作年度报告 with no department between
// the place and 政府 (平潭综合实验区2023年度政府信息公开工作年度报告,
// 洪泽区政府信息公开工作年度报告). days_late is published minus the
// deadline in days (negative: early); on_time is 1 when days_late <= 0.
// Migration 4 wrote this view per document; Open now writes measuresView.
const measuresStep4 = `DROP VIEW IF EXISTS measures;
CREATE VIEW measures AS
WITH t3m AS (
  SELECT doc_id,
    MAX(CASE WHEN row_key = 'new_received'      THEN value END) AS received,
    MAX(CASE WHEN row_key = 'carried_over'      THEN value END) AS carried_over,
    MAX(CASE WHEN row_key = 'granted'           THEN value END) AS granted,
    MAX(CASE WHEN row_key = 'partially_granted' THEN value END) AS partially_granted,
    SUM(CASE WHEN row_key LIKE 'denied\_%' ESCAPE '\' THEN value END) AS denied,
    SUM(CASE WHEN row_key LIKE 'unable\_%' ESCAPE '\' THEN value END) AS unable,
    MAX(CASE WHEN row_key = 'total_processed'   THEN value END) AS total_processed,
    MAX(CASE WHEN row_key = 'carried_forward'   THEN value END) AS carried_forward
  FROM cells WHERE tbl = 't3' AND col_key = 'total' GROUP BY doc_id
), t4m AS (
  SELECT doc_id,
    SUM(CASE WHEN row_key = 'review' AND col_key = 'corrected' THEN value END) AS review_corrected,
    SUM(CASE WHEN row_key = 'review' AND col_key = 'total'     THEN value END) AS review_total,
    SUM(CASE WHEN row_key IN ('litigation_direct', 'litigation_after_review') AND col_key = 'corrected' THEN value END) AS litigation_corrected,
    SUM(CASE WHEN row_key IN ('litigation_direct', 'litigation_after_review') AND col_key = 'total'     THEN value END) AS litigation_total
  FROM cells WHERE tbl = 't4' GROUP BY doc_id
), docs AS (
  SELECT d.*,
    CASE WHEN (d.agency LIKE '%人民政府' AND d.agency NOT LIKE '%乡人民政府' AND d.agency NOT LIKE '%镇人民政府')
           OR d.title GLOB '*[区县市]政府信息公开工作年度报告*'
           OR d.title GLOB '*[区县市][0-9][0-9][0-9][0-9]年政府信息公开工作年度报告*'
           OR d.title GLOB '*[区县市][0-9][0-9][0-9][0-9]年度政府信息公开工作年度报告*'
         THEN 1 ELSE 0 END AS summary
  FROM documents d
), dl AS (
  SELECT docs.*,
    CASE WHEN year IS NULL THEN NULL
         WHEN year <= 2018 OR summary = 1 THEN printf('%04d-03-31', year + 1)
         ELSE printf('%04d-01-31', year + 1) END AS deadline
  FROM docs
)
SELECT dl.id AS doc_id, dl.agency, dl.year, dl.layout, dl.status, dl.source,
  t.received, t.carried_over, t.total_processed, t.granted, t.partially_granted, t.denied, t.unable, t.carried_forward,
  CASE WHEN t.total_processed > 0 AND t.granted IS NOT NULL
       THEN round((t.granted + coalesce(t.partially_granted, 0)) * 1.0 / t.total_processed, 4) END AS grant_rate,
  CASE WHEN t.total_processed > 0 THEN round(t.denied * 1.0 / t.total_processed, 4) END AS refusal_share,
  CASE WHEN t.total_processed > 0 THEN round(t.unable * 1.0 / t.total_processed, 4) END AS cannot_provide_share,
  r.review_corrected, r.review_total,
  CASE WHEN r.review_total > 0 THEN round(r.review_corrected * 1.0 / r.review_total, 4) END AS review_correction_rate,
  r.litigation_corrected, r.litigation_total,
  CASE WHEN r.litigation_total > 0 THEN round(r.litigation_corrected * 1.0 / r.litigation_total, 4) END AS litigation_correction_rate,
  dl.summary, dl.published, dl.deadline,
  CAST(julianday(dl.published) - julianday(dl.deadline) AS INTEGER) AS days_late,
  CASE WHEN julianday(dl.published) IS NULL OR dl.deadline IS NULL THEN NULL
       WHEN julianday(dl.published) <= julianday(dl.deadline) THEN 1 ELSE 0 END AS on_time
FROM dl LEFT JOIN t3m t ON t.doc_id = dl.id LEFT JOIN t4m r ON r.doc_id = dl.id;`

// measuresView is the measures view, one row per report, written at Open.
// Its counts come from table 三 and 四, or, for reports of 2008–2018, from
// the legacy indicators (indicators_from says which): received
// (applications_received), total_processed (replies_total), granted,
// partially_granted, denied, review_total (reviews) and litigation_total
// (lawsuits). The publication date is the document's, published_from
// saying where it was read. A government's summary report is told by its
// agency's kind and level (a government at county level or above) when
// they are known, else by its name and title as above.
const measuresView = `CREATE VIEW measures AS
WITH t3m AS (
  SELECT doc_id,
    MAX(CASE WHEN row_key = 'new_received'      THEN value END) AS received,
    MAX(CASE WHEN row_key = 'carried_over'      THEN value END) AS carried_over,
    MAX(CASE WHEN row_key = 'granted'           THEN value END) AS granted,
    MAX(CASE WHEN row_key = 'partially_granted' THEN value END) AS partially_granted,
    SUM(CASE WHEN row_key LIKE 'denied\_%' ESCAPE '\' THEN value END) AS denied,
    SUM(CASE WHEN row_key LIKE 'unable\_%' ESCAPE '\' THEN value END) AS unable,
    MAX(CASE WHEN row_key = 'total_processed'   THEN value END) AS total_processed,
    MAX(CASE WHEN row_key = 'carried_forward'   THEN value END) AS carried_forward
  FROM cell_values WHERE tbl = 't3' AND col_key = 'total' GROUP BY doc_id
), t4m AS (
  SELECT doc_id,
    SUM(CASE WHEN row_key = 'review' AND col_key = 'corrected' THEN value END) AS review_corrected,
    SUM(CASE WHEN row_key = 'review' AND col_key = 'total'     THEN value END) AS review_total,
    SUM(CASE WHEN row_key IN ('litigation_direct', 'litigation_after_review') AND col_key = 'corrected' THEN value END) AS litigation_corrected,
    SUM(CASE WHEN row_key IN ('litigation_direct', 'litigation_after_review') AND col_key = 'total'     THEN value END) AS litigation_total
  FROM cell_values WHERE tbl = 't4' GROUP BY doc_id
), lgm AS (
  SELECT doc_id,
    MAX(CASE WHEN indicator = 'applications_received' THEN value END) AS received,
    MAX(CASE WHEN indicator = 'replies_total'         THEN value END) AS total_processed,
    MAX(CASE WHEN indicator = 'granted'               THEN value END) AS granted,
    MAX(CASE WHEN indicator = 'partially_granted'     THEN value END) AS partially_granted,
    MAX(CASE WHEN indicator = 'denied'                THEN value END) AS denied,
    MAX(CASE WHEN indicator = 'reviews'               THEN value END) AS review_total,
    MAX(CASE WHEN indicator = 'lawsuits'              THEN value END) AS litigation_total
  FROM legacy WHERE indicator IS NOT NULL GROUP BY doc_id
), vals AS (
  SELECT t.doc_id, 't3' AS indicators_from, t.received, t.carried_over, t.total_processed, t.granted, t.partially_granted, t.denied, t.unable, t.carried_forward,
    r.review_corrected, r.review_total, r.litigation_corrected, r.litigation_total
  FROM t3m t LEFT JOIN t4m r USING (doc_id)
  UNION ALL
  SELECT r.doc_id, 't4', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, r.review_corrected, r.review_total, r.litigation_corrected, r.litigation_total
  FROM t4m r WHERE r.doc_id NOT IN (SELECT doc_id FROM t3m)
  UNION ALL
  SELECT l.doc_id, 'legacy', l.received, NULL, l.total_processed, l.granted, l.partially_granted, l.denied, NULL, NULL, NULL, l.review_total, NULL, l.litigation_total
  FROM lgm l WHERE l.doc_id NOT IN (SELECT doc_id FROM t3m UNION SELECT doc_id FROM t4m)
), reps AS (
  SELECT ` + reportCols + `, d.source, d.title, d.published, d.published_from,
    CASE WHEN a.kind IS NOT NULL AND a.level IS NOT NULL
           THEN a.kind = 'government' AND a.level IN ('province', 'city', 'county')
         WHEN (d.agency LIKE '%人民政府' AND d.agency NOT LIKE '%乡人民政府' AND d.agency NOT LIKE '%镇人民政府')
           OR d.title GLOB '*[区县市]政府信息公开工作年度报告*'
           OR d.title GLOB '*[区县市][0-9][0-9][0-9][0-9]年政府信息公开工作年度报告*'
           OR d.title GLOB '*[区县市][0-9][0-9][0-9][0-9]年度政府信息公开工作年度报告*'
         THEN 1 ELSE 0 END AS summary
  FROM ` + reportFrom + `
  WHERE ` + attributed + `
), dl AS (
  SELECT reps.*,
    CASE WHEN year IS NULL THEN NULL
         WHEN year <= 2018 OR summary = 1 THEN printf('%04d-03-31', year + 1)
         ELSE printf('%04d-01-31', year + 1) END AS deadline
  FROM reps
)
SELECT dl.report_id, dl.doc_id, dl.agency_id, dl.agency, dl.year, dl.layout, dl.status,
  dl.level, dl.kind, dl.province, dl.city, dl.county, dl.region_code, dl.source, v.indicators_from,
  v.received, v.carried_over, v.total_processed, v.granted, v.partially_granted, v.denied, v.unable, v.carried_forward,
  CASE WHEN v.total_processed > 0 AND v.granted IS NOT NULL
       THEN round((v.granted + coalesce(v.partially_granted, 0)) * 1.0 / v.total_processed, 4) END AS grant_rate,
  CASE WHEN v.total_processed > 0 THEN round(v.denied * 1.0 / v.total_processed, 4) END AS refusal_share,
  CASE WHEN v.total_processed > 0 THEN round(v.unable * 1.0 / v.total_processed, 4) END AS cannot_provide_share,
  v.review_corrected, v.review_total,
  CASE WHEN v.review_total > 0 THEN round(v.review_corrected * 1.0 / v.review_total, 4) END AS review_correction_rate,
  v.litigation_corrected, v.litigation_total,
  CASE WHEN v.litigation_total > 0 THEN round(v.litigation_corrected * 1.0 / v.litigation_total, 4) END AS litigation_correction_rate,
  dl.summary, dl.published, dl.published_from, dl.deadline,
  CAST(julianday(dl.published) - julianday(dl.deadline) AS INTEGER) AS days_late,
  CASE WHEN julianday(dl.published) IS NULL OR dl.deadline IS NULL THEN NULL
       WHEN julianday(dl.published) <= julianday(dl.deadline) THEN 1 ELSE 0 END AS on_time
FROM dl LEFT JOIN vals v ON v.doc_id = dl.doc_id`

// legacyView is the legacy view, one row per report and row of its
// statistics table (2008–2018 reports), written at Open: the row's place
// (row_order: the line it was printed on), its indicator (NULL when its
// label maps onto none), whether the indicator compares with the 2019
// tables and with which of their cells, the value printed for the
// report's year and the cumulative one (历年累计). Which column is which
// is told by the words of w (legacy.json's this_year, cumulative and
// previous_year, written into the statement as SQL strings): the year's
// value is the column that names the year or holds a this-year word and
// no cumulative word; else the only column that holds neither a
// cumulative nor a previous-year word; else NULL. The cumulative value is
// the column holding a cumulative word.
func legacyView(w govreport.LegacyColumns) string {
	cum, this := sqlHasAny(w.Cumulative), sqlHasAny(w.ThisYear)
	notCum, notCumPrev := sqlHasNone(w.Cumulative), sqlHasNone(append(slices.Clone(w.Cumulative), w.PreviousYear...))
	return `CREATE VIEW legacy AS
SELECT ` + reportCols + `, c.row_key, min(c.line) AS row_order, li.indicator, li.comparable, li.modern,
  MAX(c.row_label) AS row_label, MAX(c.unit) AS unit,
  coalesce(
    MAX(CASE WHEN instr(c.col_key, CAST(r.year AS TEXT)) > 0 AND ` + notCum + ` THEN c.value END),
    MAX(CASE WHEN ` + this + ` AND ` + notCum + ` THEN c.value END),
    CASE WHEN count(DISTINCT CASE WHEN ` + notCumPrev + ` THEN c.col_key END) = 1
         THEN MAX(CASE WHEN ` + notCumPrev + ` THEN c.value END) END) AS value,
  MAX(CASE WHEN ` + cum + ` THEN c.value END) AS cumulative,
  GROUP_CONCAT(DISTINCT NULLIF(c.flags, '')) AS flags
FROM ` + reportFrom + ` JOIN cell_values c ON c.doc_id = r.doc_id AND c.tbl = 'legacy'
LEFT JOIN legacy_indicators li ON li.row_key = c.row_key
WHERE ` + attributed + `
GROUP BY r.id, c.row_key
ORDER BY r.id, row_order, c.row_key`
}

// sqlHasAny is the condition that c.col_key holds one of words.
func sqlHasAny(words []string) string {
	var cs []string
	for _, w := range words {
		cs = append(cs, "instr(c.col_key, "+sqlString(w)+") > 0")
	}
	if len(cs) == 1 {
		return cs[0]
	}
	return "(" + strings.Join(cs, " OR ") + ")"
}

// sqlHasNone is the condition that c.col_key holds none of words.
func sqlHasNone(words []string) string {
	var cs []string
	for _, w := range words {
		cs = append(cs, "instr(c.col_key, "+sqlString(w)+") = 0")
	}
	return strings.Join(cs, " AND ")
}

// sqlString quotes s as an SQL string literal: SQLite reads a quote
// doubled as one and nothing else inside the quotes specially
// (checkLegacyColumns refuses the NUL a statement cannot hold).
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// checkLegacyColumns refuses column words the legacy view cannot be
// written with: each list is needed, and an empty word would be in every
// column's name.
func checkLegacyColumns(w govreport.LegacyColumns) error {
	for _, l := range []struct {
		name  string
		words []string
	}{{"this-year", w.ThisYear}, {"cumulative", w.Cumulative}, {"previous-year", w.PreviousYear}} {
		if len(l.words) == 0 {
			return fmt.Errorf("legacy columns: no %s word (Options.LegacyColumns)", l.name)
		}
		for _, x := range l.words {
			if x == "" || strings.ContainsRune(x, 0) || !utf8.ValidString(x) {
				return fmt.Errorf("legacy columns: %s word %q is empty, holds a NUL or is not UTF-8", l.name, x)
			}
		}
	}
	return nil
}
