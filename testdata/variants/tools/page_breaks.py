#!/usr/bin/env python3
"""Add page furniture inside table 三 of a pdftotext -layout extraction.

usage: page_breaks.py LAYOUT.txt STYLE HEADER > out.txt

LAYOUT.txt is `pdftotext -layout` output (pages separated by form feeds, the
printed page numbers '-3-' already at the foot of each page). HEADER is the
running page header to print (the report's title).

  running_header  after every form feed, a page header line HEADER and a rule;
                  and one more page break inside table 三, before the row
                  '（七）总计': a footer in the other printed style
                  '— N —' (N = the number of the page it ends), a form feed and the header
  repeat_t3_header  as running_header, and after each page break that falls
                  inside table 三 the table's column header block (申请人情况 …
                  the lines before 一、本年新收) printed again, as Word does for
                  a table whose header rows repeat on each page

Nothing else is changed: every line of the input is kept, in order.
"""
import re
import sys


def main():
    path, style, header = sys.argv[1], sys.argv[2], sys.argv[3]
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")

    # table 三: from its section heading to 四、结转下年度继续办理
    t3_start = next(i for i, l in enumerate(lines) if "三、收到和处理政府信息公开申请情况" in l)
    t3_end = next(i for i, l in enumerate(lines) if i > t3_start and "四、结转下年度继续办理" in l)
    first_row = next(i for i, l in enumerate(lines) if i > t3_start and "一、本年新收政府信息公开申请数量" in l)
    col_header = [l for l in lines[t3_start + 1:first_row] if l.strip()]

    extra_at = next(i for i, l in enumerate(lines) if t3_start < i < t3_end and "（七）总计" in l)
    # the page number printed at the foot of the page the extra break ends
    before = [re.search(r"-\s*(\d+)\s*-", l) for l in lines[:extra_at]]
    nums = [int(m.group(1)) for m in before if m and re.fullmatch(r"\s*-\s*\d+\s*-\s*", m.string)]
    page = (nums[-1] + 1) if nums else 1

    page_head = ["        " + header, "  " + "—" * 30]
    out = []
    for i, l in enumerate(lines):
        if i == extra_at:
            out += ["", " " * 36 + "— %d —" % page, ""]
            out += ["\f" + page_head[0]] + page_head[1:]
            if style == "repeat_t3_header":
                out += col_header
        if "\f" in l and (i < len(lines) - 1 or l.split("\f", 1)[1].strip()):
            pre, post = l.split("\f", 1)
            if pre:
                out.append(pre)
            out += ["\f" + page_head[0]] + page_head[1:]
            if style == "repeat_t3_header" and first_row < i <= t3_end:
                out += col_header
            l = post
        out.append(l)
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
