-- govreport database schema. One row per distinct file in documents; its
-- sections, table cells and checks hang off it and are replaced together.
CREATE TABLE IF NOT EXISTS documents (
  id             INTEGER PRIMARY KEY,
  sha256         TEXT NOT NULL UNIQUE,      -- of the file's bytes
  source         TEXT NOT NULL,             -- path or URL it was read from
  format         TEXT NOT NULL,             -- txt, html, pdf, doc, …
  title          TEXT,
  agency         TEXT,
  year           INTEGER,                   -- the year reported on
  layout         TEXT,                      -- legacy, 2019, 2021
  published      TEXT,                      -- YYYY-MM-DD when known
  status         TEXT NOT NULL,             -- ok, partial, no_text, undecodable, unsupported, attachment, error
  error          TEXT,
  pages          INTEGER,
  parser_version TEXT NOT NULL,
  imported_at    TEXT NOT NULL,             -- UTC, RFC 3339
  meta           TEXT,                      -- JSON: page metadata (索引号, 发布机构, 文号, …)
  warnings       TEXT,                      -- JSON array
  attachments    TEXT                       -- JSON array of URLs
);
CREATE INDEX IF NOT EXISTS documents_agency_year ON documents(agency, year);

CREATE TABLE IF NOT EXISTS sections (
  doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  number   INTEGER NOT NULL,                -- 1–6 (legacy: as printed)
  key      TEXT NOT NULL,                   -- overview, active_disclosure, applications, review_litigation, problems, other, fees, statistics
  heading  TEXT,                            -- as printed; '' when missing
  missing  INTEGER NOT NULL DEFAULT 0,      -- 1: heading absent, located by its table
  line     INTEGER,
  text     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sections_doc ON sections(doc_id);

CREATE TABLE IF NOT EXISTS cells (
  doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  tbl       TEXT NOT NULL,                  -- t2, t3, t4, legacy
  row_key   TEXT NOT NULL,                  -- canonical row; x_… for rows outside the template
  col_key   TEXT NOT NULL,
  value     NUMERIC,                        -- INTEGER for counts, REAL for amounts; NULL: not reported or not placed
  unit      TEXT,
  raw       TEXT,                           -- as printed
  row_label TEXT,                           -- as printed
  col_label TEXT,
  flags     TEXT NOT NULL DEFAULT '',       -- comma-separated: inferred, not_printed, outside_template, uncertain, ambiguous_split, footnote, not_reported, unit_converted
  page      INTEGER,                        -- where it was printed
  line      INTEGER,
  x         REAL,
  y         REAL,
  PRIMARY KEY (doc_id, tbl, row_key, col_key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS checks (
  doc_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  rule    TEXT NOT NULL,                    -- t3_balance, t3_outcomes, t3_row_total, t4_row_total, …
  tbl     TEXT NOT NULL,
  scope   TEXT NOT NULL,                    -- the row or column checked
  status  TEXT NOT NULL,                    -- pass, fail, not_assessable
  left_value  NUMERIC,
  right_value NUMERIC,
  detail  TEXT
);
CREATE INDEX IF NOT EXISTS checks_doc ON checks(doc_id);
CREATE INDEX IF NOT EXISTS checks_status ON checks(status, rule);

-- The template rows in printed order, per layout (written from the templates
-- when the database is opened by govreport), so the views can be sorted as
-- the tables print: ORDER BY doc_id, row_order.
CREATE TABLE IF NOT EXISTS template_rows (
  layout  TEXT NOT NULL,
  tbl     TEXT NOT NULL,
  row_key TEXT NOT NULL,
  ord     INTEGER NOT NULL,
  label   TEXT NOT NULL,                  -- the canonical printed label
  PRIMARY KEY (layout, tbl, row_key)
);

-- Views that read like the printed tables: one row per document and row key,
-- row_order giving the row's place in the printed table (NULL for rows an
-- agency added).
DROP VIEW IF EXISTS t3;
CREATE VIEW t3 AS
SELECT d.id AS doc_id, d.agency, d.year, d.layout, c.row_key,
  (SELECT ord FROM template_rows tr WHERE tr.layout = d.layout AND tr.tbl = 't3' AND tr.row_key = c.row_key) AS row_order,
  MAX(c.row_label) AS row_label,
  MAX(CASE WHEN c.col_key = 'natural_person' THEN c.value END) AS natural_person,
  MAX(CASE WHEN c.col_key = 'commercial'     THEN c.value END) AS commercial,
  MAX(CASE WHEN c.col_key = 'research'       THEN c.value END) AS research,
  MAX(CASE WHEN c.col_key = 'social_welfare' THEN c.value END) AS social_welfare,
  MAX(CASE WHEN c.col_key = 'legal_service'  THEN c.value END) AS legal_service,
  MAX(CASE WHEN c.col_key = 'other_org'      THEN c.value END) AS other_org,
  MAX(CASE WHEN c.col_key = 'org_subtotal'   THEN c.value END) AS org_subtotal,
  MAX(CASE WHEN c.col_key = 'total'          THEN c.value END) AS total,
  GROUP_CONCAT(DISTINCT NULLIF(c.flags, '')) AS flags
FROM cells c JOIN documents d ON d.id = c.doc_id
WHERE c.tbl = 't3'
GROUP BY c.doc_id, c.row_key
ORDER BY c.doc_id, row_order;

DROP VIEW IF EXISTS t4;
CREATE VIEW t4 AS
SELECT d.id AS doc_id, d.agency, d.year, d.layout, c.row_key,
  (SELECT ord FROM template_rows tr WHERE tr.layout = d.layout AND tr.tbl = 't4' AND tr.row_key = c.row_key) AS row_order,
  MAX(c.row_label) AS row_label,
  MAX(CASE WHEN c.col_key = 'upheld'    THEN c.value END) AS upheld,
  MAX(CASE WHEN c.col_key = 'corrected' THEN c.value END) AS corrected,
  MAX(CASE WHEN c.col_key = 'other'     THEN c.value END) AS other,
  MAX(CASE WHEN c.col_key = 'pending'   THEN c.value END) AS pending,
  MAX(CASE WHEN c.col_key = 'total'     THEN c.value END) AS total,
  GROUP_CONCAT(DISTINCT NULLIF(c.flags, '')) AS flags
FROM cells c JOIN documents d ON d.id = c.doc_id
WHERE c.tbl = 't4'
GROUP BY c.doc_id, c.row_key
ORDER BY c.doc_id, row_order;

DROP VIEW IF EXISTS t2;
CREATE VIEW t2 AS
SELECT d.id AS doc_id, d.agency, d.year, d.layout, c.row_key,
  (SELECT ord FROM template_rows tr WHERE tr.layout = d.layout AND tr.tbl = 't2' AND tr.row_key = c.row_key) AS row_order,
  MAX(c.row_label) AS row_label,
  MAX(CASE WHEN c.col_key = 'issued'             THEN c.value END) AS issued,
  MAX(CASE WHEN c.col_key = 'repealed'           THEN c.value END) AS repealed,
  MAX(CASE WHEN c.col_key = 'in_force'           THEN c.value END) AS in_force,
  MAX(CASE WHEN c.col_key = 'decisions'          THEN c.value END) AS decisions,
  MAX(CASE WHEN c.col_key = 'fee_amount'         THEN c.value END) AS fee_amount,
  MAX(CASE WHEN c.col_key = 'new_made'           THEN c.value END) AS new_made,
  MAX(CASE WHEN c.col_key = 'new_published'      THEN c.value END) AS new_published,
  MAX(CASE WHEN c.col_key = 'total_published'    THEN c.value END) AS total_published,
  MAX(CASE WHEN c.col_key = 'previous_items'     THEN c.value END) AS previous_items,
  MAX(CASE WHEN c.col_key = 'change'             THEN c.value END) AS change,
  MAX(CASE WHEN c.col_key = 'procurement_items'  THEN c.value END) AS procurement_items,
  MAX(CASE WHEN c.col_key = 'procurement_amount' THEN c.value END) AS procurement_amount,
  GROUP_CONCAT(DISTINCT NULLIF(c.flags, '')) AS flags
FROM cells c JOIN documents d ON d.id = c.doc_id
WHERE c.tbl = 't2'
GROUP BY c.doc_id, c.row_key
ORDER BY c.doc_id, row_order;
