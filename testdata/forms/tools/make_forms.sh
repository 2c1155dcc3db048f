#!/usr/bin/env bash
# Rebuild every file of testdata/forms from testdata/corpus with LibreOffice.
# usage: (cd testdata/forms && sh tools/make_forms.sh)
# Needs soffice (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui) and python3.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
so() { soffice -env:UserInstallation="file://$tmp/profile" --headless "$@" >/dev/null 2>&1; }
for d in 2013_pingtanxian_1 2017_pingtan_1 2021_pingtan_1 2023_pingtan_1; do
  # the whole page, opened in Writer and saved as Word
  so --infilter="HTML (StarWriter)" --convert-to 'docx:MS Word 2007 XML' --outdir "$tmp/w" ../corpus/$d.html
  mv "$tmp/w/$d.docx" $d.html__soffice.docx
  so --infilter="HTML (StarWriter)" --convert-to 'doc:MS Word 97' --outdir "$tmp/w" ../corpus/$d.html
  mv "$tmp/w/$d.doc" $d.html__soffice.doc
  # the page's data tables alone, opened in Calc and saved as Excel
  python3 tools/tables_html.py ../corpus/$d.html > "$tmp/$d.html"
  so --infilter="HTML (StarCalc)" --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$tmp/c" "$tmp/$d.html"
  mv "$tmp/c/$d.xlsx" $d.html__tables.xlsx
  so --infilter="HTML (StarCalc)" --convert-to 'xls:MS Excel 97' --outdir "$tmp/c" "$tmp/$d.html"
  mv "$tmp/c/$d.xls" $d.html__tables.xls
  # issue 14's follow-up: what sites publish under .doc names that is no Word
  # binary, and the OpenDocument and WPS spreadsheet formats
  python3 tools/mhtml.py ../corpus/$d.html > $d.html__mhtml.doc
  so --infilter="HTML (StarWriter)" --convert-to 'xml:MS Word 2003 XML' --outdir "$tmp/w" ../corpus/$d.html
  mv "$tmp/w/$d.xml" $d.html__soffice_wordml.doc
  so --infilter="HTML (StarWriter)" --convert-to 'odt:writer8' --outdir "$tmp/w" ../corpus/$d.html
  mv "$tmp/w/$d.odt" $d.html__soffice.odt
  so --infilter="HTML (StarCalc)" --convert-to 'ods:calc8' --outdir "$tmp/c" "$tmp/$d.html"
  mv "$tmp/c/$d.ods" $d.html__tables.ods
  # LibreOffice has no WPS Spreadsheets export: for .et it picks MS Excel 97
  so --infilter="HTML (StarCalc)" --convert-to 'et:MS Excel 97' --outdir "$tmp/c" "$tmp/$d.html"
  mv "$tmp/c/$d.et" $d.html__tables.et
done
# the blank template as published (.docx), saved by Writer as Word 97
so --convert-to 'doc:MS Word 97' --outdir "$tmp/w" ../corpus/template_blank_guoban2021_1.docx
mv "$tmp/w/template_blank_guoban2021_1.doc" template_blank_guoban2021_1.docx__soffice.doc
# and as RTF (government sites publish RTF under a .doc or .docx name)
so --convert-to 'rtf:Rich Text Format' --outdir "$tmp/w" ../corpus/template_blank_guoban2021_1.docx
mv "$tmp/w/template_blank_guoban2021_1.rtf" template_blank_guoban2021_1.docx__soffice.rtf
