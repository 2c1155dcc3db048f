#!/bin/sh
# scan.sh SRC.pdf DPI OUT.pdf: an image-only PDF made from SRC as a scanner
# would: each page rasterised at DPI in grey, turned by a small angle
# (alternating sign, 0.5–1.5°, by page number), blurred slightly, given
# Gaussian noise, stored as grey JPEG (quality 65) and wrapped with img2pdf at
# the page's original size. Deterministic: ImageMagick's noise is seeded by
# the page number.
#
# Needs poppler-utils (pdftoppm), ImageMagick 6 (convert-im6.q16, or set
# CONVERT) and img2pdf.
set -eu
src=$1 dpi=$2 out=$3
convert=${CONVERT:-convert-im6.q16}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdftoppm -r "$dpi" -gray "$src" "$tmp/p"
# blur radius in pixels: about the same in page units at either resolution
blur=$(awk -v d="$dpi" 'BEGIN { printf "%.2f", 0.5 * d / 150 }')
n=0
for f in "$tmp"/p-*.pgm; do
  n=$((n + 1))
  # angles by page: 0.7, -1.2, 1.5, -0.5, 1.0, -0.8, then again
  angle=$(echo "0.7 -1.2 1.5 -0.5 1.0 -0.8" | awk -v n="$n" '{ print $((n - 1) % NF + 1) }')
  size=$(head -c 64 "$f" | awk 'NR == 2 { print $1 "x" $2; exit }')
  "$convert" "$f" -background white -rotate "$angle" -gravity center -extent "$size" +repage \
    -blur "0x$blur" -seed "$n" -attenuate 0.2 +noise Gaussian \
    -colorspace Gray -density "$dpi" -units PixelsPerInch -quality 65 \
    "$tmp/$(basename "$f" .pgm).jpg"
done
img2pdf -o "$out" "$tmp"/p-*.jpg
