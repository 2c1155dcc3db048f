#!/usr/bin/env python3
"""Write the data tables of a report page as a bare HTML page.

usage: tables_html.py PAGE.html > tables.html

The article is found as ../variants/tools/flatten_html.py finds it (elements whose
class is article_title, article_source, article_time or article_content; the whole
<body> when none is found). Every <table> in it that holds no other table is
written out with its rows and cells, rowspan and colspan kept, each cell's text
whitespace-collapsed (as flatten_html.py does); nothing else of the page is kept.
LibreOffice Calc then opens the result as a workbook of the tables alone, merged
cells where the page had spans. Only the standard library is used.
"""
import html
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "variants", "tools"))
from flatten_html import Builder, find_keep, text_of, ws  # noqa: E402


def tables_in(n, out):
    if isinstance(n, str):
        return
    if n.tag == "table":
        if not contains_table(n):
            out.append(n)
            return
    for k in n.kids:
        tables_in(k, out)


def contains_table(n):
    for k in n.kids:
        if not isinstance(k, str) and (k.tag == "table" or contains_table(k)):
            return True
    return False


def rows(table):
    out = []

    def walk(n):
        for k in n.kids:
            if isinstance(k, str):
                continue
            if k.tag == "tr":
                out.append([c for c in k.kids if not isinstance(c, str) and c.tag in ("td", "th")])
            else:
                walk(k)

    walk(table)
    return out


def main():
    b = Builder()
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        b.feed(f.read())
    keep = []
    find_keep(b.root, keep)
    if not keep:
        keep = [b.root]
    tables = []
    for k in keep:
        tables_in(k, tables)
    out = ['<!DOCTYPE html>', '<html><head><meta charset="utf-8"></head><body>']
    for i, t in enumerate(tables):
        if i:
            out.append("<p></p>")
        out.append('<table border="1">')
        for r in rows(t):
            cells = []
            for c in r:
                attrs = ""
                for a in ("rowspan", "colspan"):
                    v = (c.attrs.get(a) or "").strip()
                    if v.isdigit() and int(v) > 1:
                        attrs += ' %s="%s"' % (a, v)
                cells.append("<td%s>%s</td>" % (attrs, html.escape(ws(text_of(c)))))
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
    out.append("</body></html>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
