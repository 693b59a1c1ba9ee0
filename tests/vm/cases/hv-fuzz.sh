# image: initramfs
# args: --tcg=multi --timeout=200
# Fuzzing the hypervisor from inside a cell: fuzz-cell (CPUs 1 and 2,
# inmates/demos/fuzz-cell.c) makes random hypercalls, SMCs, system register
# accesses and GIC accesses until the hypervisor fails it (most runs end
# so) or it has done FUZZ_OPS operations; root starts it again with a new
# seed, for FUZZ_SECONDS (default 45), and now and then destroys and
# creates it again. hello runs on CPU 3 all along.
#
# Passes with no hypervisor failure: no FATAL in its log, the hypervisor
# still enabled (not failed), no root abort, hello unharmed and beating,
# every CPU back online in root, the pool as before, `warden disable`
# done, the kernel log clean. A run whose operations stop (the heartbeat,
# which counts them, stands still for a second) or that lasts over
# FUZZ_RUN_SECONDS (default 5) is stopped by root and counted as such.
#
# Each run prints its seed, operations and end. To replay one:
#   tests/vm/run-case hv-fuzz FUZZ_SEED=<seed> FUZZ_RUNS=1 FUZZ_VERBOSE=1
# (FUZZ_SEED may list several seeds, "S1 S2 ...", for the first runs;
# FUZZ_DEBUG_UART=1 copies the hypervisor's log to the serial console)
# (FUZZ_CPUS=1 makes a run exactly repeatable, FUZZ_STREAM=1 with it
# replays the second CPU's operations alone); `make fuzz` runs it for
# FUZZ_SECONDS. FUZZ_RECREATE=N destroys and creates the cell after every
# N runs (default 10), giving its CPUs back to Linux each time. FUZZ_WEIGHTS=H,S,R,G,M weighs hvc, smc, sysreg, gic and
# mem operations (default 30,15,30,22,3); FUZZ_HAZARD=P (percent) sets how
# often a choice may end the cell: by default the seed makes a third of
# the runs broad (100) and the others deep (2), staying longer in what the
# hypervisor emulates.
D=/usr/share/warden/cells.d
CELL=fuzz-cell
IMG=/usr/lib/warden/inmates/fuzz-cell.bin
FUZZ_SECONDS=${FUZZ_SECONDS:-45}
FUZZ_RUN_SECONDS=${FUZZ_RUN_SECONDS:-5}
FUZZ_OPS=${FUZZ_OPS:-20000}
FUZZ_CPUS=${FUZZ_CPUS:-2}
FUZZ_VERBOSE=${FUZZ_VERBOSE:-0}
FUZZ_SEED=${FUZZ_SEED:-}
FUZZ_RUNS=${FUZZ_RUNS:-0}
FUZZ_WEIGHTS=${FUZZ_WEIGHTS:-}
FUZZ_HAZARD=${FUZZ_HAZARD:-}
FUZZ_RECREATE=${FUZZ_RECREATE:-10}
CPU=/sys/devices/system/cpu
W=/run/fuzz
mkdir -p $W

evidence_done=
evidence() {
	[ -z "$evidence_done" ] || return 0
	evidence_done=1
	echo "---- evidence: run $run, seed $seed"
	warden cell list 2>&1 || true
	echo "---- evidence: the fuzzing cell's console (last 30 lines)"
	warden cell console $CELL 2>&1 | tr -cd '\11\12\40-\176' | tail -n 30 || true
	echo "---- evidence: hello's console (last 5 lines)"
	warden cell console hello 2>&1 | tail -n 5 || true
	echo "---- evidence: the hypervisor's log (last 60 lines)"
	if [ -s $W/hv.log ]; then tail -n 60 $W/hv.log; else warden console 2>&1 | tail -n 60; fi
	echo "---- evidence: hypervisor status"
	warden status 2>&1 | head -n 14 || true
	echo "---- evidence: CPUs online: $(cat $CPU/online)"
	echo "---- evidence: dmesg (last 30 lines)"
	dmesg | tail -n 30
	echo "---- end of evidence"
}
fail() {
	evidence >&2
	echo "FAIL: $*" >&2
	exit 1
}

# A hang is caught by the watchdog of tests/vm/helpers.sh (HANG_SECONDS,
# default 60): the main loop marks its progress with `alive`.

# The hypervisor failed? (FATAL in its log, or the module says so; with an
# argument, only the log is read.)
check_hv() {
	expect_hv_log_sound "run $run (seed $seed)"
	[ -n "$1" ] || [ "$(str "$(warden status --json)" state)" = enabled ] ||
		fail "run $run (seed $seed): the hypervisor is no longer enabled"
}

# COMMAND...: retried for 5 s (a stopping cell's CPUs may still be on their way off).
patiently() {
	local i=0
	while ! "$@" > /dev/null 2> $W/err; do
		i=$((i + 1))
		if [ $i -ge 25 ]; then
			cat $W/err
			fail "run $run: '$*' refused for 5 s"
		fi
		sleep 0.2
	done
}

# FUZZ_DEBUG_UART=1: the hypervisor's log on the serial console as well (evidence
# when the machine hangs or panics).
modprobe warden ${FUZZ_DEBUG_UART:+debug_uart=1}
warden enable $D/system.yaml
pool0=$(num "$(warden status --json)" used_pages)
follow_hv_log
start_watchdog
warden cell run $D/hello.yaml > /dev/null
hb0=$(num "$(cell_json hello)" heartbeat)
warden cell create $CELL > /dev/null

run=0 ops_total=0 recreated=0 seed="" seeds_since=""
: > $W/outcomes
t_start=$(now_cs)
t_end=$((t_start + FUZZ_SECONDS * 100))
while [ "$(now_cs)" -lt $t_end ]; do
	[ "$FUZZ_RUNS" = 0 ] || [ $run -lt "$FUZZ_RUNS" ] || break
	run=$((run + 1))
	t_run=$(now_cs)
	alive
	if [ -n "$FUZZ_SEED" ]; then
		seed=${FUZZ_SEED%% *}		# the given seeds first, in order
		FUZZ_SEED=${FUZZ_SEED#"$seed"}
		FUZZ_SEED=${FUZZ_SEED# }
	else
		seed=0x$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
	fi
	printf 'FUZZ seed=%s ops=%s cpus=%s verbose=%s%s%s\n' "$seed" "$FUZZ_OPS" "$FUZZ_CPUS" \
		"$FUZZ_VERBOSE" "${FUZZ_WEIGHTS:+ weights=$FUZZ_WEIGHTS}" \
		"${FUZZ_HAZARD:+ hazard=$FUZZ_HAZARD}${FUZZ_STREAM:+ stream=$FUZZ_STREAM}" > $W/params
	patiently warden cell load $CELL $IMG@0 $W/params@0xff000
	if [ "$FUZZ_VERBOSE" != 0 ]; then	# every line of the run, as it comes
		warden cell console -f $CELL > $W/cell.log 2>&1 &
		follow_pid=$!
	fi
	patiently warden cell start $CELL
	t0=$(now_cs) last=-1 still=0 stopped=
	: > $W/stop-err
	t_setup=$((t0 - t_run))
	while :; do
		sleep 0.2
		j=$(cell_json $CELL)
		case $(str "$j" state) in running*) ;; *) break ;; esac
		hb=$(num "$j" heartbeat)
		if [ "$hb" = "$last" ]; then
			still=$((still + 1))
		else
			still=0 last=$hb
		fi
		if [ $still -ge 4 ]; then
			stopped=stalled
		elif [ $(($(now_cs) - t0)) -ge $((FUZZ_RUN_SECONDS * 100)) ]; then
			stopped=timeout
		fi
		if [ -n "$stopped" ]; then
			warden cell shutdown $CELL > /dev/null 2> $W/stop-err || true
			break
		fi
	done
	[ -z "$stopped" ] || j=$(cell_json $CELL)
	hb=$(num "$j" heartbeat)
	st=$(str "$j" state)
	if [ "$st" = failed ]; then
		outcome="fault:$(str "$j" kind)"
		why=$(str "$j" reason)
	elif [ -n "$stopped" ]; then
		outcome=$stopped why="stopped by root"
	elif [ "$(str "$j" stop_reason)" = system-off ] && [ "${hb:-0}" -ge "$FUZZ_OPS" ]; then
		outcome=completed why="all $FUZZ_OPS operations done"
	else
		outcome=$(str "$j" stop_reason) why=$(str "$j" reason)
	fi
	case $st in
	running*) fail "run $run (seed $seed): root could not stop the cell ($st): $(cat $W/stop-err)" ;;
	esac
	ops_total=$((ops_total + ${hb:-0}))
	echo "$outcome" >> $W/outcomes
	t=$(($(now_cs) - t_run))
	echo "run $run: seed $seed, ${hb:-?} operations, $outcome ($why); $((t / 100)).$((t % 100 / 10)) s (start $((t_setup / 100)).$((t_setup % 100 / 10)) s)"
	if [ "$FUZZ_VERBOSE" != 0 ]; then
		sleep 0.5
		kill $follow_pid
		wait $follow_pid || true
		tr -cd '\11\12\40-\176' < $W/cell.log
	fi
	if [ $((run % 5)) = 0 ]; then check_hv; else check_hv log-only; fi
	# Now and then a new cell: destroy and create go through the fuzzed state
	# too, and its CPUs go back to Linux.
	seeds_since="$seeds_since $seed"
	if [ $((run % FUZZ_RECREATE)) = 0 ]; then
		patiently warden cell destroy $CELL
		# The CPUs are Linux's again: nothing of the cell may follow them.
		if dmesg | grep -E 'WARNING:|Oops|BUG:|Call trace|Unknown IPI|failed to come online'; then
			fail "after the destroy that followed the runs with seeds$seeds_since, Linux complains on a CPU the cell gave back"
		fi
		seeds_since=
		patiently warden cell create $CELL
		recreated=$((recreated + 1))
	fi
done
t_loop=$(( ($(now_cs) - t_start) / 100 ))
[ $t_loop -gt 0 ] || t_loop=1

echo "fuzz: $run runs, $ops_total operations in $t_loop s ($((ops_total * 60 / t_loop)) per minute, $((run * 60 / t_loop)) runs per minute), the cell created again $recreated times"
echo "fuzz: outcomes: $(sort $W/outcomes | uniq -c | tr '\n' ';' | tr -s ' ')"

patiently warden cell destroy $CELL
alive
check_hv
j=$(cell_json hello)
expect_eq "hello still running" running "$(str "$j" state)"
hb1=$(num "$j" heartbeat)
sleep 1.5
hb2=$(num "$(cell_json hello)" heartbeat)
if [ "$hb2" -le "$hb1" ] || [ "$hb1" -le "$hb0" ]; then
	fail "hello stopped beating ($hb0 -> $hb1 -> $hb2)"
fi
echo "ok: hello beat all along ($hb0 -> $hb1 -> $hb2)"
if warden cell console hello | grep -v -E '^(Hello from cell|hello: )'; then
	fail "hello's console has lines that are not hello's"
fi
warden cell shutdown hello
warden cell destroy hello
expect_cpus_home "$pool0"
touch $W/stop
sleep 0.5
stop_hv_log
check_hv
echo "ok: 0 hypervisor failures in $run runs ($ops_total operations)"
warden disable
expect_eq "after disable" disabled "$(str "$(warden status --json)" state)"
dmesg_clean
