#!/bin/sh
# Import throughput and peak memory at scale, beside pdftotext -layout over
# the same PDFs with the same number of processes. Run by `make bench`:
#   sh cmd/benchcorpus/bench.sh bin/govreport bin/benchcorpus
# BENCH_DIR (default /tmp/govreport-bench), BENCH_SMALL, BENCH_LARGE
# (text+HTML documents, 1000 and 10000; BENCH_SMALL also sizes the HTML-only
# and text-only corpora), BENCH_PDF (300) and BENCH_GROW (sizes in MB of
# the memory benchmark, "1 4 16") override.
set -eu
BIN=$1
GEN=$2
W=${BENCH_DIR:-/tmp/govreport-bench}
SMALL=${BENCH_SMALL:-1000}
LARGE=${BENCH_LARGE:-10000}
NPDF=${BENCH_PDF:-300}
P=$(nproc)
TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
	echo "bench: $TIME missing (GNU time, for peak memory): apt-get install time" >&2
	exit 1
fi
command -v pdftotext >/dev/null || { echo "bench: pdftotext missing: apt-get install poppler-utils" >&2; exit 1; }
rm -rf "$W"
mkdir -p "$W"

# field N of the time file: elapsed user sys maxrss(KB)
tf() { awk -v f="$2" '{print $f}' "$1"; }

# run_import NAME DIR: imports DIR into a fresh database and prints a line.
run_import() {
	name=$1 dir=$2
	db="$W/$name.db"
	docs=$(find "$dir" -type f | wc -l)
	bytes=$(find "$dir" -type f -exec cat {} + | wc -c)
	"$TIME" -f '%e %U %S %M' -o "$W/$name.time" "$BIN" import --db "$db" --quiet --jobs "$P" "$dir" >"$W/$name.out" 2>"$W/$name.err" || true
	el=$(tf "$W/$name.time" 1)
	cpu=$(awk '{print $2+$3}' "$W/$name.time")
	rss=$(tf "$W/$name.time" 4)
	pages=$(sed -n 's/.* \([0-9][0-9]*\) PDF pages.*/\1/p' "$W/$name.out")
	awk -v n="$name" -v d="$docs" -v b="$bytes" -v e="$el" -v c="$cpu" -v r="$rss" -v p="${pages:-0}" 'BEGIN {
		printf "%-9s %6d docs %7.1f MB  %7.1fs  %7.1f docs/s  %6.2f MB/s", n, d, b/1e6, e, d/e, b/1e6/e
		if (p > 0) printf "  %5d pages %6.1f pages/s", p, p/e
		printf "  cpu %.1fs (%.1f ms/doc)  peak RSS %.0f MB\n", c, 1000*c/d, r/1024
	}'
	head -1 "$W/$name.out" | sed 's/^/          /'
}

echo "== corpora (benchcorpus: distinct files derived from testdata/corpus; txt-only from testdata/variants)"
"$GEN" -n "$SMALL" -formats txt,html "$W/text$SMALL"
"$GEN" -n "$LARGE" -formats txt,html "$W/text$LARGE"
"$GEN" -n "$SMALL" -formats html "$W/html$SMALL"
"$GEN" -n "$SMALL" -formats txt -src testdata/variants "$W/txt$SMALL"
"$GEN" -n "$NPDF" -formats pdf "$W/pdf$NPDF"

echo "== import, $P jobs ($(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   text = txt+html mixed as in testdata/corpus; html = the real pages only; txt = flattened text of real reports"
run_import "text$SMALL" "$W/text$SMALL"
run_import "text$LARGE" "$W/text$LARGE"
run_import "html$SMALL" "$W/html$SMALL"
run_import "txt$SMALL" "$W/txt$SMALL"
run_import "pdf$NPDF" "$W/pdf$NPDF"

echo "== pdftotext -layout over the same $NPDF PDFs, xargs -P $P"
find "$W/pdf$NPDF" -name '*.pdf' -print0 >"$W/pdfs"
"$TIME" -f '%e %U %S %M' -o "$W/pdftotext.time" sh -c "xargs -0 -P $P -I{} pdftotext -layout {} - <'$W/pdfs' >/dev/null 2>&1"
ours=$(tf "$W/pdf$NPDF.time" 1)
theirs=$(tf "$W/pdftotext.time" 1)
awk -v o="$ours" -v t="$theirs" -v oc="$(awk '{print $2+$3}' "$W/pdf$NPDF.time")" -v tc="$(awk '{print $2+$3}' "$W/pdftotext.time")" 'BEGIN {
	printf "pdftotext -layout %.1fs (cpu %.1fs)   govreport import %.1fs (cpu %.1fs)   ratio ours/pdftotext %.2f wall, %.2f cpu\n", t, tc, o, oc, o/t, oc/tc
}'

# peak RSS of one in-process parse (parse --isolate=false) of FILE, in KB
peak() { "$TIME" -f '%M' -o "$W/peak.time" "$BIN" parse --isolate=false "$1" >/dev/null 2>&1 || true; cat "$W/peak.time"; }

echo "== peak memory of one parse against the input's size (parse --isolate=false, in-process; import's children trade memory for CPU, GOGC=400)"
echo "   grown = a real report grown as large ones are (text: prose paragraphs; HTML: <p> paragraphs; PDF: pages of text)"
base=$(peak testdata/corpus/2020_zhongmou_commerce_seed.txt)
echo "   a 7 KB report: peak RSS $((base / 1024)) MB (the process itself)"
for mb in ${BENCH_GROW:-1 4 16}; do "$GEN" -grow "$mb" "$W/grow" >/dev/null; done
for ext in txt html pdf; do
	line="$ext"
	last=""
	for mb in ${BENCH_GROW:-1 4 16}; do
		f="$W/grow/grown_${mb}mb.$ext"
		kb=$(peak "$f")
		bytes=$(wc -c <"$f")
		line="$line   $mb MB: $((kb / 1024)) MB"
		last="$kb $bytes"
	done
	echo "$line" | awk -v b="$base" -v l="$last" '{ split(l, x, " "); printf "%s   => %.1f MB of peak RSS per MB of input above the process\n", $0, (x[1]-b)/1024/(x[2]/1048576) }'
done
echo "   hostile = the trial's shapes just within the readers' bounds: the most a text or HTML parse can take"
"$GEN" -hostile "$W/hostile" >/dev/null
for f in "$W"/hostile/*; do
	kb=$(peak "$f")
	awk -v n="$(basename "$f")" -v k="$kb" -v s="$(wc -c <"$f")" 'BEGIN { printf "   %-32s %6.2f MB  peak RSS %4.0f MB\n", n, s/1048576, k/1024 }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# OCR (extract/ocr): the scanned forms of the real PDFs, each parsed alone
# (one Tesseract at a time, one thread), seconds and peak memory per page,
# beside pdftotext -layout on the text PDFs they were made from; then the
# scans imported with $P jobs (one Tesseract per worker).
echo "== OCR of testdata/scans, one file at a time, beside pdftotext -layout on the text PDF"
if ! command -v tesseract >/dev/null; then
	echo "   skipped: tesseract missing (apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils)"
else
	mkdir -p "$W/scans"
	printf "%-42s %5s %9s %9s %9s %12s\n" scan pages "s/page" "cpu/page" "peak RSS" "pdftotext/p"
	for f in testdata/scans/*.pdf; do
		n=$(basename "$f")
		cp "$f" "$W/scans/"
		pages=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
		"$TIME" -f '%e %U %S %M' -o "$W/ocr.time" "$BIN" parse "$f" >/dev/null 2>&1 || true
		"$TIME" -f '%e %U %S %M' -o "$W/p2t.time" pdftotext -layout "testdata/corpus/${n%%__*}" - >/dev/null 2>&1 || true
		awk -v n="$n" -v p="$pages" -v t="$(cat "$W/ocr.time")" -v q="$(cat "$W/p2t.time")" 'BEGIN {
			split(t, a, " "); split(q, b, " ")
			printf "%-42s %5d %8.2fs %8.2fs %7.0f MB %11.4fs\n", n, p, a[1]/p, (a[2]+a[3])/p, a[4]/1024, b[1]/p
		}' | tee -a "$W/ocr.lines"
	done
	awk '{p += $2; s += $2*$3; c += $2*$4; if ($5 > m) m = $5; q += $2*$7} END {
		printf "%-42s %5d %8.2fs %8.2fs %7.0f MB %11.4fs\n", "all", p, s/p, c/p, m, q/p
	}' "$W/ocr.lines"
	run_import "scans" "$W/scans"
fi
