#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Figures of the stress and fuzzing harnesses (tests/vm/cases/hv-stress.sh
# and hv-fuzz.sh), run on the host by tests/bench/run for
# BENCH_ROBUST_SECONDS each (default 60): root's create-to-destroy
# iterations per minute against stress-cell, and the fuzzing cell's
# operations (executions) per minute, with what each case concluded. One
# "name<TAB>value" line each; reported, never asserted: a case that fails
# still gives its figures, and its FAIL line says what it found.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
secs=${BENCH_ROBUST_SECONDS:-60}

verdict() { # STATUS OUTPUT
	if [ "$1" -eq 0 ]; then
		echo "passed"
	else
		grep -m 1 '^FAIL' <<<"$2" || echo "failed (exit $1)"
	fi
}

out=$(tests/vm/run-case hv-stress STRESS_SECONDS="$secs" 2>&1)
st=$?
line=$(grep -m 1 -E '^stress: [0-9]+ iterations in' <<<"$out")
if [ -n "$line" ]; then
	read -r n s m < <(sed -E 's/^stress: ([0-9]+) iterations in ([0-9]+) s \(([0-9]+) per minute\).*/\1 \2 \3/' <<<"$line")
	printf 'stress iterations per minute\t%s (%s in %s s)\n' "$m" "$n" "$s"
else
	printf 'stress iterations per minute\tfailed\n'
fi
ends=$(grep -m 1 '^stress: how the cells ended' <<<"$out" | sed 's/^[^:]*: [^:]*: *//')
printf 'stress: how the cells ended\t%s\n' "${ends:-failed}"
printf 'stress: verdict\t%s\n' "$(verdict $st "$out")"

out=$(tests/vm/run-case hv-fuzz FUZZ_SECONDS="$secs" 2>&1)
st=$?
line=$(grep -m 1 -E '^fuzz: [0-9]+ runs, [0-9]+ operations in' <<<"$out")
if [ -n "$line" ]; then
	read -r r n s m < <(sed -E 's/^fuzz: ([0-9]+) runs, ([0-9]+) operations in ([0-9]+) s \(([0-9]+) per minute.*/\1 \2 \3 \4/' <<<"$line")
	printf 'fuzz executions per minute\t%s (%s operations in %s runs, %s s)\n' "$m" "$n" "$r" "$s"
else
	# No summary (the case failed before it): the runs it printed.
	# shellcheck disable=SC2016 # awk's own $
	sum=$(grep -E '^run [0-9]+: seed' <<<"$out" |
		sed -E 's/^run [0-9]+: seed [^,]*, ([0-9?]+) operations, .*; ([0-9.]+) s \(start.*/\1 \2/' |
		awk '$1 ~ /^[0-9]+$/ { n += $1; t += $2; r++ } END { if (r && t > 0) printf "%d (%d operations in %d runs, %.0f s, before the case failed)", n * 60 / t, n, r, t }')
	printf 'fuzz executions per minute\t%s\n' "${sum:-failed}"
fi
ends=$(grep -m 1 '^fuzz: outcomes' <<<"$out" | sed 's/^fuzz: outcomes: *//')
printf 'fuzz: outcomes\t%s\n' "${ends:-failed}"
printf 'fuzz: verdict\t%s\n' "$(verdict $st "$out")"
