#!/bin/sh
# Runs the libFuzzer harnesses of a fuzz build (make fuzz-smoke, make fuzz).
#
#   tests/fuzz/run.sh BUILD SECONDS smoke|long [FUZZER...]
#
# smoke: each fuzzer starts from a copy of its seed corpus in a temporary directory (the
#        repository is never written) and runs SECONDS.
# long:  each fuzzer works on BUILD/corpus/NAME/, kept between runs and topped up with the
#        seeds, and runs SECONDS.
# FUZZ_JOBS fuzzers (default 2) run at a time.  Any crash, leak, timeout (10 s for one
# input) or RSS over 2 GB fails the run; the input is kept in BUILD/fuzz-artifacts/NAME/
# and its report printed.  Each fuzzer's log: BUILD/fuzz-logs/NAME.log.
set -u
cd "$(dirname "$0")/../.."
[ $# -ge 3 ] || { echo "usage: $0 BUILD SECONDS smoke|long [FUZZER...]" >&2; exit 2; }
build=$1 secs=$2 mode=$3
shift 3
fuzzers=${*:-manifest incident search_query rule_pack}
jobs=${FUZZ_JOBS:-2}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aimcase-fuzz.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$build/fuzz-logs"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# One fuzzer, in the background of the caller; its exit status goes to $tmp/NAME.rc.
run_one() {
	name=$1
	bin=$build/tests/fuzz/fuzz_$name
	art=$build/fuzz-artifacts/$name
	if [ "$mode" = long ]; then
		corpus=$build/corpus/$name
	else
		corpus=$tmp/corpus-$name
	fi
	mkdir -p "$corpus" "$art"
	cp tests/fuzz/corpus/"$name"/* "$corpus"/
	"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	    -dict=tests/fuzz/"$name".dict -artifact_prefix="$art/" "$corpus" \
	    > "$build/fuzz-logs/$name.log" 2>&1
	echo $? > "$tmp/$name.rc"
}

set -- $fuzzers
while [ $# -gt 0 ]; do
	batch=""
	i=0
	while [ $# -gt 0 ] && [ $i -lt "$jobs" ]; do
		[ -x "$build/tests/fuzz/fuzz_$1" ] || { echo "fuzz: no $build/tests/fuzz/fuzz_$1" >&2; exit 3; }
		run_one "$1" &
		batch="$batch $1"
		i=$((i + 1))
		shift
	done
	wait
done

passed=0 failed=0
for name in $fuzzers; do
	log=$build/fuzz-logs/$name.log
	rc=$(cat "$tmp/$name.rc" 2>/dev/null || echo 3)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		echo "fuzz $name: ok, ${secs}s, ${rate:-?} exec/s, ${last#* }"
	else
		failed=$((failed + 1))
		echo "fuzz $name: FAILED (exit $rc); input kept in $build/fuzz-artifacts/$name/; log $log"
		grep -E -A40 '^==[0-9]+==ERROR|runtime error|^[^ ]+:[0-9]+: |ALARM|out-of-memory|Test unit written' \
		    "$log" | head -n 80
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
