#!/usr/bin/env bash
# make bench — the benchmarks, each side by side with its reference, in one run.
# Usage: tests/bench/run.sh [--quick]   (BUILD=build by default)
# Prints one row per benchmark: what, size, ours, reference, ratio, goal, met.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
AIM=$BUILD/aimcase
GEN=$BUILD/gen_dfxml
ENTRIES=1000000 CORPUS=100000000 CASES=99999 FILINGS=2000
[[ ${1:-} == --quick ]] && ENTRIES=100000 CORPUS=10000000 CASES=5000 FILINGS=500

for tool in xmllint:libxml2-utils /usr/bin/time:time; do
	command -v "${tool%%:*}" >/dev/null || {
		[[ $(id -u) == 0 ]] || { echo "missing ${tool#*:}: apt-get install ${tool#*:}" >&2; exit 1; }
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool#*:}" >/dev/null
	}
done

# Vectorscan is the rule-scan reference: bench-only, built here when it is missing.
if ! pkg-config --exists libhs; then
	[[ $(id -u) == 0 ]] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvectorscan-dev >/dev/null
fi
if pkg-config --exists libhs && [[ ! -x $BUILD/rulebench ]]; then
	cmake -S . -B "$BUILD" >/dev/null && cmake --build "$BUILD" --target rulebench >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/aimcase-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

row() { printf '| %-34s | %-12s | %-22s | %-18s | %-7s | %-26s | %-4s |\n' "$@"; }
echo "aimcase benchmarks — $(date -u +%Y-%m-%dT%H:%M:%SZ) — $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
row "benchmark" "size" "aimcase" "reference" "ratio" "goal" "met"
row "---" "---" "---" "---" "---" "---" "---"

# ---- manifest import: aimcase import vs xmllint --stream --noout ----
"$GEN" "$ENTRIES" > "$work/m.xml"
db=$work/b.db
"$AIM" init --db "$db" >/dev/null
echo "bench-Passw0rd-1" | "$AIM" user add bench --role investigator --db "$db" 2>/dev/null
printf '%s\n' '{"kind":"ai_intrusion","title":"Benchmark case","narrative":"Seized laptop.","ai_intrusion":{"target_system":"bench.example.org","access_vector":"unknown"}}' |
	"$AIM" import-incidents --as bench --db "$db" - >/dev/null
ref=$(sqlite3 "$db" "select ref from cases limit 1")
ref_s=$( { /usr/bin/time -f "%e" xmllint --stream --noout "$work/m.xml" >/dev/null; } 2>&1 | tail -1)
out=$( { /usr/bin/time -f "TIME %e %M" "$AIM" import --db "$db" --case "$ref" --as bench "$work/m.xml" >/dev/null; } 2>&1)
ours_s=$(awk '/^TIME/ {print $2}' <<<"$out")
rss_kb=$(awk '/^TIME/ {print $3}' <<<"$out")
rate=$(awk -v n="$ENTRIES" -v s="$ours_s" 'BEGIN {printf "%.0f", n / s}')
ratio=$(awk -v a="$ours_s" -v b="$ref_s" 'BEGIN {printf "%.2fx", a / b}')
met=$(awk -v r="$rate" -v m="$rss_kb" -v a="$ours_s" -v b="$ref_s" \
	'BEGIN {print (r >= 100000 && m < 102400 && a <= 3 * b) ? "yes" : "no"}')
row "manifest import (aimcase import)" "$ENTRIES entries" \
	"${ours_s} s, ${rate}/s, $((rss_kb / 1024)) MB" "xmllint ${ref_s} s" "$ratio" \
	">=100k/s, <100 MB, <=3x" "$met"

# ---- rule scan: the shipped packs, aimcase's scan vs plain PCRE2 vs Vectorscan ----
if [[ -x $BUILD/rulebench ]]; then
	"$BUILD/gen_corpus" "$CORPUS" > "$work/corpus.txt"
	read -r ours plain hs inhs same rest < <("$BUILD/rulebench" rules/packs "$work/corpus.txt")
	ratio=$(awk -v a="$ours" -v b="$hs" 'BEGIN {printf "%.2fx", a / b}')
	met=$(awk -v a="$ours" -v b="$hs" -v s="$same" 'BEGIN {print (a >= b / 2 && s == "identical") ? "yes" : "no"}')
	row "rule scan (shipped packs)" "$((CORPUS / 1000000)) MB" "${ours} MB/s, flags ${same}" \
		"Vectorscan ${hs} MB/s (${inhs} patterns, prefilter mode where needed); plain PCRE2 ${plain} MB/s" "$ratio" \
		">=0.5x Vectorscan, identical flags" "$met"
else
	row "rule scan (shipped packs)" "-" "not run: libvectorscan-dev missing" "-" "-" "-" "-"
fi

# ---- filing one incident (rules, extraction, links) with many cases in the store ----
fdb=$work/f.db
"$AIM" init --db "$fdb" >/dev/null
echo "bench-Passw0rd-1" | "$AIM" user add bench --role investigator --db "$fdb" 2>/dev/null
node tests/bench/gen_incidents.mjs "$CASES" > "$work/seed.ndjson"
"$AIM" import-incidents --as bench --db "$fdb" "$work/seed.ndjson" >/dev/null
sqlite3 "$fdb" "select ref, kind from cases order by random() limit $FILINGS" > "$work/refs.txt"
token=$("$AIM" token create bench --db "$fdb")
"$AIM" serve --db "$fdb" --port 0 --rules rules/packs 2> "$work/serve.log" &
spid=$!
for _ in $(seq 50); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/serve.log")
node tests/bench/file_load.mjs "$port" "$token" "$work/refs.txt" "$work/seed.ndjson" "$FILINGS"
kill "$spid"; wait "$spid" 2>/dev/null || true
read -r p50 p99 < <(awk '$1 == "POST" && $2 == "/api/incidents" && $3 == 201 {sub("ms", "", $5); print $5}' "$work/serve.log" |
	sort -n | awk '{a[NR] = $1} END {print a[int(NR * 0.5)], a[int(NR * 0.99)]}')
met=$(awk -v p="$p99" 'BEGIN {print (p < 5) ? "yes" : "no"}')
row "filing one incident (server side)" "$CASES cases" "p50 ${p50} ms, p99 ${p99} ms" "-" "-" "p99 < 5 ms" "$met"
