#!/usr/bin/env bash
# make bench — the benchmarks, each side by side with its reference, in one run.
# Usage: tests/bench/run.sh [--quick]   (BUILD=build by default)
# Prints one row per benchmark: what, size, ours, reference, ratio, goal, met.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
AIM=$BUILD/aimcase
GEN=$BUILD/gen_dfxml
ENTRIES=1000000
[[ ${1:-} == --quick ]] && ENTRIES=100000

for tool in xmllint:libxml2-utils /usr/bin/time:time; do
	command -v "${tool%%:*}" >/dev/null || {
		[[ $(id -u) == 0 ]] || { echo "missing ${tool#*:}: apt-get install ${tool#*:}" >&2; exit 1; }
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool#*:}" >/dev/null
	}
done

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
