#!/usr/bin/env bash
# make bench — the benchmarks, each side by side with its reference, in one run.
# Usage: tests/bench/run.sh [--quick]   (BUILD=build by default; ONLY=search,import… runs some:
# import, rules, filing, filing16, caseview, search, memory — memory runs the search benchmark;
# SERVE_ARGS='--threads 16' adds arguments to every `aimcase serve` it starts, for trying settings)
# Prints one row per benchmark: what, size, ours, reference, ratio, goal, met.
# Every server (aimcase, nginx) listens on 127.0.0.1 only and is stopped by the harness.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
AIM=$BUILD/aimcase
GEN=$BUILD/gen_dfxml
ENTRIES=1000000 CORPUS=100000000 CASES=99999 FILINGS=2000 SEARCH_INCIDENTS=99999 SEARCH_PATHS=900000 ROUNDS=10
FILE_SECONDS=20 WRK_SECONDS=10
[[ ${1:-} == --quick ]] && ENTRIES=100000 CORPUS=10000000 CASES=5000 FILINGS=500 SEARCH_INCIDENTS=5000 SEARCH_PATHS=95000 ROUNDS=3 \
	FILE_SECONDS=5 WRK_SECONDS=3
export PATH=$PATH:/usr/sbin	# nginx

for tool in xmllint:libxml2-utils /usr/bin/time:time wrk:wrk nginx:nginx; do
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

# the durable-filing reference: a bare SQLite loop, bench-only, built here
# shellcheck disable=SC2046 # pkg-config prints several words
cc -O2 -o "$BUILD/sqlite_loop" tests/bench/sqlite_loop.c $(pkg-config --cflags --libs sqlite3) -lpthread

work=$(mktemp -d "${TMPDIR:-/tmp}/aimcase-bench.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

want() { [[ -z ${ONLY:-} || ,$ONLY, == *,$1,* ]]; }
row() { printf '| %-34s | %-12s | %-22s | %-18s | %-7s | %-26s | %-4s |\n' "$@"; }
echo "aimcase benchmarks — $(date -u +%Y-%m-%dT%H:%M:%SZ) — $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
row "benchmark" "size" "aimcase" "reference" "ratio" "goal" "met"
row "---" "---" "---" "---" "---" "---" "---"

# ---- manifest import: aimcase import vs xmllint --stream --noout ----
if want import; then
"$GEN" "$ENTRIES" > "$work/m.xml"
sync	# the 750 MB just written go to disk now, not during the timed runs
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

# The filing rows' store: $CASES cases filed by the investigator bench (built once, shared).
fdb=
filing_db() {
	[[ -n $fdb ]] && return
	fdb=$work/f.db
	"$AIM" init --db "$fdb" >/dev/null
	echo "bench-Passw0rd-1" | "$AIM" user add bench --role investigator --db "$fdb" 2>/dev/null
	node tests/bench/gen_incidents.mjs "$CASES" > "$work/seed.ndjson"
	"$AIM" import-incidents --as bench --db "$fdb" "$work/seed.ndjson" >/dev/null
}
# serve DB LOG [options] — starts the server in the background: $spid, $port
serve() {
	local db=$1 log=$2
	shift 2
	# shellcheck disable=SC2086 # SERVE_ARGS is words
	"$AIM" serve --db "$db" --port 0 --rules rules/packs ${SERVE_ARGS:-} "$@" 2> "$log" &
	spid=$!
	for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
	port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
	[[ -n $port ]] || { echo "the server did not start:" >&2; cat "$log" >&2; exit 1; }
}
# server_ms LOG METHOD STATUS — "N p50 p99 max" of the server-side times in the access log
server_ms() {
	awk -v m="$2" -v c="$3" '$1 == m && $2 ~ "^/api/" && $3 == c {sub("ms", "", $5); print $5}' "$1" |
		sort -n | awk '{a[NR] = $1} END {print NR, a[int(NR * 0.5)], a[int(NR * 0.99)], a[NR]}'
}
# bad_replies LOG — "5XX CUT": answers with a 5xx status, connections ended before the answer
bad_replies() {
	printf '%s %s\n' "$(awk '$1 ~ /^[A-Z]+$/ && $2 ~ /^\// && $3 ~ /^5/ {n++} END {print n + 0}' "$1")" \
		"$(grep -c "connection ended before the answer" "$1" || true)"
}

# ---- filing one incident (rules, extraction, links) with many cases in the store ----
if want filing; then
filing_db
sqlite3 "$fdb" "select ref, kind from cases order by random() limit $FILINGS" > "$work/refs.txt"
token=$("$AIM" token create bench --db "$fdb")
serve "$fdb" "$work/serve.log"
node tests/bench/file_load.mjs "$port" "$token" "$work/refs.txt" "$work/seed.ndjson" "$FILINGS"
kill "$spid"; wait "$spid" 2>/dev/null || true
read -r p50 p99 < <(awk '$1 == "POST" && $2 == "/api/incidents" && $3 == 201 {sub("ms", "", $5); print $5}' "$work/serve.log" |
	sort -n | awk '{a[NR] = $1} END {print a[int(NR * 0.5)], a[int(NR * 0.99)]}')
met=$(awk -v p="$p99" 'BEGIN {print (p < 5) ? "yes" : "no"}')
row "filing one incident (server side)" "$CASES cases" "p50 ${p50} ms, p99 ${p99} ms" "-" "-" "p99 < 5 ms" "$met"
fi

# ---- durable filing, 16 clients: filings acknowledged over HTTP vs a bare one-row-per-commit loop ----
# Ours: 16 keep-alive clients (16 bearer tokens of the investigator) file realistic incidents into
# existing cases for FILE_SECONDS; every 201 is committed (WAL, synchronous=FULL) before it leaves.
# Reference: sqlite_loop, one row per transaction into a table of the shape of `incidents`, WAL +
# synchronous=FULL, in the same directory (same disk), the same texts: 1 thread (the issue's
# "C loop": the ratio), and 16 threads each with its own connection and busy_timeout (shown).
if want filing16; then
filing_db
sqlite3 "$fdb" "select ref, kind from cases order by random() limit 2000" > "$work/refs16.txt"
for _ in $(seq 16); do "$AIM" token create bench --db "$fdb"; done > "$work/tokens16.txt"
read -r _ _ loop1 _ < <("$BUILD/sqlite_loop" "$work/loop1.db" 1 "$FILE_SECONDS" "$work/seed.ndjson")
before=$(sqlite3 "$fdb" "select count(*) from incidents")
serve "$fdb" "$work/serve16.log"
node tests/bench/file_concurrent.mjs "$port" "$work/tokens16.txt" "$work/refs16.txt" "$work/seed.ndjson" \
	16 "$FILE_SECONDS" > "$work/file16.json"
kill "$spid"; wait "$spid" 2>/dev/null || true
stored=$(( $(sqlite3 "$fdb" "select count(*) from incidents") - before ))
read -r _ _ loop16 busy16 < <("$BUILD/sqlite_loop" "$work/loop16.db" 16 "$FILE_SECONDS" "$work/seed.ndjson")
rm -f "$work"/loop1.db* "$work"/loop16.db*
read -r rate acked cp50 cp99 errs conns closed < <(node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
console.log(Math.round(r.rate), r.acknowledged + r.warm_up, r.p50.toFixed(1), r.p99.toFixed(1), r.errors, r.connections, r.closed_by_server + r.connection_close);
if (r.errors) console.error("filing16: " + JSON.stringify(r.statuses) + ", the first: " + r.first_error);
' "$work/file16.json")
read -r _ sp50 sp99 smax < <(server_ms "$work/serve16.log" POST 201)
read -r s5xx cut < <(bad_replies "$work/serve16.log")
# every acknowledged filing is in the store (the warm-up's too); an error may have stored one
kept="all $acked in the store"
((stored >= acked && stored <= acked + errs)) || kept="$acked acknowledged but $stored stored"
ratio=$(awk -v a="$rate" -v b="$loop1" 'BEGIN {printf "%.3fx", a / b}')
met=$(awk -v a="$rate" -v b="$loop1" -v e="$errs" 'BEGIN {print (a >= b && e == 0) ? "yes" : "no"}')
row "durable filing (16 keep-alive clients)" "$CASES cases, ${FILE_SECONDS} s" \
	"${rate}/s acknowledged, ${kept} (client p50 ${cp50} ms, p99 ${cp99} ms; server p50 ${sp50}, p99 ${sp99}, max ${smax} ms); ${errs} errors, ${s5xx} 5xx, ${cut} cut; ${conns} connections, ${closed} closed by the server" \
	"C loop, 1 row per commit, WAL + FULL: ${loop1}/s (1 thread); ${loop16}/s (16 threads, ${busy16} busy)" \
	"$ratio" ">= 1x the loop" "$met"
fi

# ---- case view, 64 connections: GET /api/cases/{ref} with wrk vs nginx serving a file of that size ----
# wrk_run URL OUT HEADER — wrk -t2 -c64 for WRK_SECONDS; meanwhile the client ports of the
# established connections are sampled every 0.2 s: with keep-alive holding, 64 distinct ports.
wrk_run() {
	local url=$1 out=$2 p=${1#http://127.0.0.1:}
	p=${p%%/*}
	wrk -t2 -c64 -d"${WRK_SECONDS}s" --latency -H "$3" "$url" > "$out" &
	local wpid=$!
	while kill -0 "$wpid" 2>/dev/null; do
		ss -Htn state established "( dport = :$p )" | awk '{n = split($3, a, ":"); print a[n]}'
		sleep 0.2
	done | sort -u | wc -l > "$out.ports"
	wait "$wpid"
}
# wrk_fig OUT — "req/s p50_ms p99_ms non2xx socket_errors connections"
wrk_fig() {
	awk -v ports="$(cat "$1.ports")" '
	function ms(v) { return v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v ~ /m$/ ? v * 60000 : v * 1000 }
	/^Requests\/sec:/ { rps = $2 }
	/^ +50%/ { p50 = ms($2) }
	/^ +99%/ { p99 = ms($2) }
	/Non-2xx or 3xx responses:/ { bad = $NF }
	/Socket errors:/ { gsub(",", ""); sock = $4 + $6 + $8 + $10 }
	END { printf "%.0f %.2f %.2f %d %d %d\n", rps, p50, p99, bad, sock, ports }' "$1"
}
if want caseview; then
filing_db
# the viewed case: an AI-intrusion case with 11 incidents, a 2,000-entry manifest and 3 notes
cref=$(sqlite3 "$fdb" "select ref from cases where kind = 'ai_intrusion' order by id limit 1")
grep '"kind":"ai_intrusion"' "$work/seed.ndjson" | sed -n 2,11p |
	node -e 'require("fs").readFileSync(0, "utf8").trim().split("\n").forEach((l) =>
		console.log(JSON.stringify({ ...JSON.parse(l), case_ref: process.argv[1] })))' "$cref" > "$work/more.ndjson"
"$AIM" import-incidents --as bench --db "$fdb" "$work/more.ndjson" >/dev/null
"$GEN" 2000 > "$work/cv.xml"
"$AIM" import --db "$fdb" --case "$cref" --as bench "$work/cv.xml" >/dev/null
echo "bench-Passw0rd-2" | "$AIM" user add benchpros --role prosecutor --db "$fdb" 2>/dev/null
ptoken=$("$AIM" token create benchpros --db "$fdb")
ctoken=$("$AIM" token create bench --db "$fdb")
serve "$fdb" "$work/cvserve.log"
for i in 1 2 3; do
	curl -sf -o /dev/null -H "Authorization: Bearer $ptoken" -H 'Content-Type: application/json' \
		-d "{\"text\":\"Note $i: preservation request and subpoena sent to the hosting provider for the logs of 198.51.100.$i; the seized laptop was imaged and its manifest imported. Awaiting the provider's reply.\"}" \
		"http://127.0.0.1:$port/api/cases/$cref/notes"
done
curl -sf -H "Authorization: Bearer $ctoken" "http://127.0.0.1:$port/api/cases/$cref" > "$work/case.json"
bytes=$(wc -c < "$work/case.json")
wrk_run "http://127.0.0.1:$port/api/cases/$cref" "$work/wrk-ours.txt" "Authorization: Bearer $ctoken"
kill "$spid"; wait "$spid" 2>/dev/null || true
read -r _ sp50 sp99 smax < <(server_ms "$work/cvserve.log" GET 200)
read -r s5xx cut < <(bad_replies "$work/cvserve.log")
((cut <= 64)) && cut="$cut cut (in flight when wrk stopped)" || cut="$cut cut (more than wrk's 64 in flight at its stop)"
# nginx: its own minimal config in the temp dir, on a free port of 127.0.0.1, in the foreground
ng=$work/nginx
mkdir -p "$ng/www" "$ng/tmp"
cp "$work/case.json" "$ng/www/case.json"
nport=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
# workers run as this user (root's default, nobody, could not read the private temp dir)
sed -e "s|@NG@|$ng|g" -e "s|@PORT@|$nport|g" -e "s|@USER@|$(id -un) $(id -gn)|" > "$ng/nginx.conf" <<'CONF'
user @USER@;
worker_processes auto;
daemon off;
pid @NG@/nginx.pid;
error_log @NG@/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path @NG@/tmp/body;
	proxy_temp_path @NG@/tmp/proxy;
	fastcgi_temp_path @NG@/tmp/fastcgi;
	uwsgi_temp_path @NG@/tmp/uwsgi;
	scgi_temp_path @NG@/tmp/scgi;
	types { application/json json; }
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	server { listen 127.0.0.1:@PORT@; root @NG@/www; }
}
CONF
nginx -p "$ng" -c "$ng/nginx.conf" -e "$ng/error.log" &
npid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$nport/case.json" && break; sleep 0.1; done
cmp -s <(curl -sf "http://127.0.0.1:$nport/case.json") "$work/case.json" ||
	{ echo "nginx does not serve the file:" >&2; cat "$ng/error.log" >&2; exit 1; }
wrk_run "http://127.0.0.1:$nport/case.json" "$work/wrk-nginx.txt" "Authorization: Bearer $ctoken"
kill "$npid"; wait "$npid" 2>/dev/null || true
read -r ours op50 op99 obad osock oconn < <(wrk_fig "$work/wrk-ours.txt")
read -r ref np50 np99 nbad nsock nconn < <(wrk_fig "$work/wrk-nginx.txt")
ratio=$(awk -v a="$ours" -v b="$ref" 'BEGIN {printf "%.3fx", a / b}')
met=$(awk -v a="$ours" -v b="$ref" -v x="$obad" -v y="$osock" -v c="$oconn" \
	'BEGIN {print (a >= b / 2 && x == 0 && y == 0 && c <= 64) ? "yes" : "no"}')
row "case view (wrk -t2 -c64, bearer token)" "${bytes} B reply, ${WRK_SECONDS} s" \
	"${ours} req/s (p50 ${op50} ms, p99 ${op99} ms; server p50 ${sp50}, p99 ${sp99}, max ${smax} ms); non-2xx ${obad}, socket errors ${osock}, ${s5xx} 5xx, ${cut}; ${oconn} connections" \
	"nginx, a static file of the same size: ${ref} req/s (p50 ${np50} ms, p99 ${np99} ms; non-2xx ${nbad}, socket errors ${nsock}, ${nconn} connections)" \
	"$ratio" ">= 0.5x nginx, keep-alive" "$met"
fi

# ---- search: 1M documents (incidents and evidence paths), 8 clients, the 20-query mix ----
# ---- server memory: the search server's RSS at the end of the search benchmark (ONLY=memory runs it) ----
want search || want memory || exit 0
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
# Merge the fresh index's segments now (FTS5 'optimize'), as the server's background thread would
# over the next minutes: measured while that thread merges, our side would share the 2 cores with
# it and the bare queries afterwards would not.
t0=$(date +%s.%N)
sqlite3 "$sdb" "INSERT INTO search_fts (search_fts) VALUES ('optimize')"
opt_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}')
docs=$(sqlite3 "$sdb" "select count(*) from search_fts")
stoken=$("$AIM" token create bench --db "$sdb")
serve "$sdb" "$work/sserve.log" --threads 8
sport=$port
node tests/bench/search_load.mjs "$sport" "$stoken" 8 1 >/dev/null	# warm the cache
node tests/bench/search_load.mjs "$sport" "$stoken" 8 "$ROUNDS" > "$work/sload.json"
read -r rss_kb hwm_kb < <(awk '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} END {print r, h}' "/proc/$spid/status")
kill "$spid"; wait "$spid" 2>/dev/null || true
memory_row() {
	want memory || return 0
	row "server memory (after the search benchmark)" "$docs docs, --threads 8" \
		"VmRSS $((rss_kb / 1024)) MB (peak VmHWM $((hwm_kb / 1024)) MB)" "-" "-" "RSS < 150 MB" \
		"$( ((rss_kb < 150 * 1024)) && echo yes || echo no)"
}
if ! want search; then
	memory_row
	exit 0
fi
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
row "search (8 clients, 20-query mix)" "$docs docs, built in ${build_s} s, merged in ${opt_s} s" \
	"p50 ${cp50} ms, p99 ${cp99} ms (server p50 ${sp50}, p99 ${sp99}), ${refused} over the 2 s budget" \
	"bare FTS5 top-20: ${bsum} ms for the 20 vs ours ${ssum} ms" "${sratio}x" \
	"p50 < 10 ms, p99 < 50 ms, <= 1.5x" "$met"
memory_row
echo
echo "search, per query (hits, server median ms, bare FTS5 median ms):"
sed 's/^/    /' "$work/per_query.tsv"
