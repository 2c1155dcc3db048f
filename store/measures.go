package store

// The measures view: what analysts compute from every report, one row per
// document. Rates are NULL when their denominator is missing or zero.
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
// Migration 4.
const measuresView = `DROP VIEW IF EXISTS measures;
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
