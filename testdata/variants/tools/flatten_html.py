#!/usr/bin/env python3
"""Flatten a report page's HTML into plain text the way various tools do.

usage: flatten_html.py PAGE.html STYLE > out.txt

The article (title, source, time and body: the elements whose class is
article_title, article_source, article_time or article_content; the whole
<body> when none is found) is written as lines of text; every <table> in it
is written in STYLE, after expanding rowspan/colspan into a grid:

  pipe          each row one line, cells between '|', '|' for empty and spanned slots
  cell_lines    each printed cell (spanned slots left out) on its own line
  blank_lines   each printed cell followed by a blank line
  tabs          each row one line, printed cells separated by a tab, spanned slots omitted
  archiver_rows each row one line, its printed cells concatenated with no separator
  archiver      as archiver_rows, but a row that does not start in the grid's first
                column (a sub-row under a rowspan label: 2.没有现成…) is glued onto
                the previous line, so its ordinal runs into the previous row's digits
  split_label   as tabs, but a row's label cells on one line and its numbers on the next
  vheader       as tabs, but the header rows of each table (rows printing no number)
                are printed vertically, one character a line, the cells of a row
                interleaved line by line (结 结 其 尚 / 果 果 他 未 / …), as PDF
                extractions print rotated or narrow header cells

Cell text is the concatenation of its text nodes (<p> and <br> joined with no
separator), whitespace (incl. &nbsp;) collapsed to one space and trimmed.
Only the standard library is used.
"""
import html.parser
import re
import sys

VOID = {"br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source", "param"}
BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
         "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "form"}
SKIP = {"script", "style", "noscript", "template", "head", "title", "button", "select", "option"}
KEEP_CLASSES = ("article_title", "article_source", "article_time", "article_content")


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []


class Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.kids.append(data)


def classes(n):
    return (n.attrs.get("class") or "").split()


def find_keep(n, out):
    if isinstance(n, str):
        return
    if n.tag in SKIP:
        return
    if any(c in KEEP_CLASSES for c in classes(n)):
        out.append(n)
        return
    for k in n.kids:
        find_keep(k, out)


def find(n, tag):
    if isinstance(n, str):
        return None
    if n.tag == tag:
        return n
    for k in n.kids:
        r = find(k, tag)
        if r is not None:
            return r
    return None


def ws(s):
    return re.sub(r"[\s\u00a0]+", " ", s).strip()


def text_of(n):
    if isinstance(n, str):
        return n
    if n.tag in SKIP:
        return ""
    return "".join(text_of(k) for k in n.kids)


def rows_of(table):
    """The table's <tr>s (not those of nested tables), each a list of (text, rowspan, colspan)."""
    out = []

    def walk(n):
        for k in n.kids:
            if isinstance(k, str):
                continue
            if k.tag == "table":
                continue
            if k.tag == "tr":
                cells = []
                for c in k.kids:
                    if isinstance(c, str) or c.tag not in ("td", "th"):
                        continue
                    rs = int(re.sub(r"\D", "", c.attrs.get("rowspan") or "1") or 1)
                    cs = int(re.sub(r"\D", "", c.attrs.get("colspan") or "1") or 1)
                    cells.append((ws(text_of(c)), max(rs, 1), max(cs, 1)))
                out.append(cells)
            else:
                walk(k)

    walk(table)
    return out


def grid_of(table):
    """Expand spans: grid[r][c] = (text, printed) where printed is False for a spanned slot."""
    grid = {}
    rows = rows_of(table)
    for r, cells in enumerate(rows):
        c = 0
        for text, rs, cs in cells:
            while (r, c) in grid:
                c += 1
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = (text, dr == 0 and dc == 0)
            c += cs
    nrows = len(rows)
    ncols = max([c for (_, c) in grid] + [-1]) + 1
    return [[grid.get((r, c), ("", True)) for c in range(ncols)] for r in range(nrows)]


NUM = re.compile(r"^[\d.,\-－—/]*\d[\d.,]*$")


def is_header_row(row):
    printed = [t for t, p in row if p and t]
    return len(printed) >= 2 and not any(NUM.match(t) for t in printed)


def render_table(table, style):
    grid = grid_of(table)
    lines = []
    if style == "pipe":
        for row in grid:
            lines.append("|" + "|".join(t if p else "" for t, p in row) + "|")
    elif style == "cell_lines":
        for row in grid:
            lines.extend(t for t, p in row if p)
    elif style == "blank_lines":
        for row in grid:
            for t, p in row:
                if p:
                    lines.extend([t, ""])
    elif style == "tabs":
        for row in grid:
            lines.append("\t".join(t for t, p in row if p))
    elif style in ("archiver", "archiver_rows"):
        for row in grid:
            s = "".join(t for t, p in row if p)
            starts_first = bool(row) and row[0][1]
            if style == "archiver" and lines and not starts_first:
                lines[-1] += s
            else:
                lines.append(s)
    elif style == "split_label":
        for row in grid:
            cells = [t for t, p in row if p]
            labels = [t for t in cells if not NUM.match(t)]
            nums = [t for t in cells if NUM.match(t)]
            if labels and nums and cells == labels + nums:
                lines += ["\t".join(labels), "\t".join(nums)]
            else:
                lines.append("\t".join(cells))
    elif style == "vheader":
        for row in grid:
            cells = [t for t, p in row if p]
            if is_header_row(row) and all(len(t) <= 8 for t in cells if t):
                cells = [t.replace(" ", "") for t in cells if t]
                for k in range(max(len(t) for t in cells)):
                    lines.append(" ".join(t[k] if k < len(t) else " " for t in cells).rstrip())
            else:
                lines.append("\t".join(cells))
    else:
        raise SystemExit("unknown style " + style)
    return lines


def render(n, style, out):
    """Append n's text to out: a list of [text, is_table_line]; the last item is open."""
    if isinstance(n, str):
        out[-1][0] += n
        return
    if n.tag in SKIP:
        return
    if n.tag == "table":
        out.extend([t, True] for t in render_table(n, style))
        out.append(["", False])
        return
    block = n.tag in BLOCK
    if block:
        out.append(["", False])
    for k in n.kids:
        render(k, style, out)
    if block:
        out.append(["", False])


def main():
    path, style = sys.argv[1], sys.argv[2]
    b = Builder()
    b.feed(open(path, "rb").read().decode("utf-8"))
    b.close()
    keep = []
    find_keep(b.root, keep)
    if not keep:
        keep = [find(b.root, "body") or b.root]
    out = [["", False]]
    for n in keep:
        out.append(["", False])
        render(n, style, out)
    # narrative lines: whitespace collapsed, empty ones dropped (blank_lines style:
    # paragraphs separated by one blank line); table lines exactly as rendered
    lines = []
    for text, table in out:
        if table:
            lines.append(text)
            continue
        text = ws(text)
        if text:
            lines.append(text)
            if style == "blank_lines":
                lines.append("")
    sys.stdout.write("\n".join(lines).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
