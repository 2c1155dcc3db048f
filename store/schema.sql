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
-- the tables print: ORDER BY doc_id, row_order. The views t2, t3, t4 (one
-- per table of the templates) are written with it: see views.go.
CREATE TABLE IF NOT EXISTS template_rows (
  layout  TEXT NOT NULL,
  tbl     TEXT NOT NULL,
  row_key TEXT NOT NULL,
  ord     INTEGER NOT NULL,
  label   TEXT NOT NULL,                  -- the canonical printed label
  PRIMARY KEY (layout, tbl, row_key)
);
