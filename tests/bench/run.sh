#!/usr/bin/env bash
# make bench — the benchmarks, each side by side with its reference, in one run.
# Usage: tests/bench/run.sh [--quick]   (BUILD=build by default; ONLY=search,import… runs some)
# Prints one row per benchmark: what, size, ours, reference, ratio, goal, met.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
AIM=$BUILD/aimcase
GEN=$BUILD/gen_dfxml
ENTRIES=1000000 CORPUS=100000000 CASES=99999 FILINGS=2000 SEARCH_INCIDENTS=99999 SEARCH_PATHS=900000 ROUNDS=10
[[ ${1:-} == --quick ]] && ENTRIES=100000 CORPUS=10000000 CASES=5000 FILINGS=500 SEARCH_INCIDENTS=5000 SEARCH_PATHS=95000 ROUNDS=3

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
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

want() { [[ -z ${ONLY:-} || ,$ONLY, == *,$1,* ]]; }
row() { printf '| %-34s | %-12s | %-22s | %-18s | %-7s | %-26s | %-4s |\n' "$@"; }
echo "aimcase benchmarks — $(date -u +%Y-%m-%dT%H:%M:%SZ) — $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
row "benchmark" "size" "aimcase" "reference" "ratio" "goal" "met"
row "---" "---" "---" "---" "---" "---" "---"

# ---- manifest import: aimcase import vs xmllint --stream --noout ----
if want import; then
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
fi

# ---- rule scan: the shipped packs, aimcase's scan vs plain PCRE2 vs Vectorscan ----
if ! want rules; then
	:
elif [[ -x $BUILD/rulebench ]]; then
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
if want filing; then
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
fi

# ---- search: 1M documents (incidents and evidence paths), 8 clients, the 20-query mix ----
want search || exit 0
sdb=$work/s.db
"$AIM" init --db "$sdb" >/dev/null
echo "bench-Passw0rd-1" | "$AIM" user add bench --role supervisor --db "$sdb" 2>/dev/null
t0=$(date +%s.%N)
node tests/bench/gen_incidents.mjs "$SEARCH_INCIDENTS" > "$work/sinc.ndjson"
"$AIM" import-incidents --as bench --db "$sdb" "$work/sinc.ndjson" >/dev/null
"$GEN" "$SEARCH_PATHS" > "$work/sm.xml"
"$AIM" import --db "$sdb" --case "$(sqlite3 "$sdb" 'select ref from cases limit 1')" --as bench "$work/sm.xml" >/dev/null
"$AIM" search --db "$sdb" --as bench zzzz >/dev/null	# indexes the evidence paths
build_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}')
docs=$(sqlite3 "$sdb" "select count(*) from search_fts")
stoken=$("$AIM" token create bench --db "$sdb")
"$AIM" serve --db "$sdb" --port 0 --rules rules/packs --threads 8 2> "$work/sserve.log" &
spid=$!
for _ in $(seq 50); do grep -q "listening on" "$work/sserve.log" && break; sleep 0.1; done
sport=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/sserve.log")
node tests/bench/search_load.mjs "$sport" "$stoken" 8 1 >/dev/null	# warm the cache
node tests/bench/search_load.mjs "$sport" "$stoken" 8 "$ROUNDS" > "$work/sload.json"
kill "$spid"; wait "$spid" 2>/dev/null || true
# the bare FTS5 query of each of the 20, in the sqlite3 shell, median of 5
bare() {
	for _ in 1 2 3 4 5; do
		printf '.timer on\n%s\n' "$1" | sqlite3 "$sdb" | awk '/^Run Time/ {print $4 * 1000}'
	done | sort -n | sed -n 3p
}
: > "$work/bare.txt"
while IFS= read -r expr; do
	bare "SELECT rowid FROM search_fts WHERE search_fts MATCH '$expr' ORDER BY bm25(search_fts, 10.0, 4.0, 1.5) LIMIT 20;" >> "$work/bare.txt"
done <<'EOF'
"opalnorth"
"quartzsigma"
"basaltzulu"
"cobaltkilo"
"garnetdelta"
"jasperomega"
"onyxtango"
"pyritegolf"
"harborview"
"larkspur"
"pixelboard"
"sextortion"
"playwright"
"hollowtalk"
"victim"
"jdoe"
"documents"
"credit union"
"harb" *
"removal"
EOF
node -e '
const fs = require("fs");
const r = JSON.parse(fs.readFileSync(process.argv[1]));
const bare = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(Number);
const qs = Object.keys(r.per);
const server = qs.reduce((a, q) => a + r.per[q].server, 0), ref = bare.reduce((a, b) => a + b, 0);
fs.writeFileSync(process.argv[3], qs.map((q, i) => `${q}\t${r.per[q].hits}\t${r.per[q].server.toFixed(2)}\t${bare[i].toFixed(2)}`).join("\n") + "\n");
console.log([r.p50.toFixed(1), r.p99.toFixed(1), r.server_p50.toFixed(1), r.server_p99.toFixed(1), server.toFixed(1), ref.toFixed(1), (server / ref).toFixed(2), r.refused].join(" "));
' "$work/sload.json" "$work/bare.txt" "$work/per_query.tsv" > "$work/sum.txt"
read -r cp50 cp99 sp50 sp99 ssum bsum sratio refused < "$work/sum.txt"
met=$(awk -v a="$cp50" -v b="$cp99" -v r="$sratio" -v x="$refused" 'BEGIN {print (a < 10 && b < 50 && r <= 1.5 && x == 0) ? "yes" : "no"}')
row "search (8 clients, 20-query mix)" "$docs docs, built in ${build_s} s" \
	"p50 ${cp50} ms, p99 ${cp99} ms (server p50 ${sp50}, p99 ${sp99}), ${refused} over the 2 s budget" \
	"bare FTS5 top-20: ${bsum} ms for the 20 vs ours ${ssum} ms" "${sratio}x" \
	"p50 < 10 ms, p99 < 50 ms, <= 1.5x" "$met"
echo
echo "search, per query (hits, server median ms, bare FTS5 median ms):"
sed 's/^/    /' "$work/per_query.tsv"
