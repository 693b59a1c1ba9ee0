# image: initramfs
# args: --tcg=multi --timeout=200
# Stress: for STRESS_SECONDS (default 45) root creates, starts, shuts down,
# restarts and destroys stress-cell (CPUs 2 and 3) in a loop, and hotplugs
# its own CPU 1 meanwhile, while every CPU of the cell makes random PSCI
# CPU_ON/CPU_OFF/SYSTEM_OFF/SYSTEM_RESET, lock and console calls, and now and
# then faults on purpose (inmates/demos/stress-cell.c). Multi-threaded TCG,
# so the CPUs really race.
#
# Afterwards: every CPU back in root and online, the hypervisor's pool as
# before, its log (read all along) holding the FAILED record of every cell
# seen failed, no FATAL in it and the hypervisor not failed, no root abort,
# root's memory canaries intact, `warden disable` done, the kernel log clean.
# Each step of the loop that must succeed (create when no cell exists,
# destroy within 20 s, the cell's CPUs back online) fails the case at once,
# with the evidence: the cells, the cell's console, the hypervisor's log,
# dmesg.
#
# tests/vm/run-case hv-stress STRESS_SECONDS=600 runs it longer.
D=/usr/share/warden/cells.d
CELL=stress-cell
STRESS_SECONDS=${STRESS_SECONDS:-45}
CPU=/sys/devices/system/cpu
W=/run/stress
mkdir -p $W

rand() { echo $((RANDOM % $1)); }

evidence_done=
evidence() {
	[ -z "$evidence_done" ] || return 0
	evidence_done=1
	echo "---- evidence: cells"
	warden cell list 2>&1 || true
	warden cell stats $CELL 2>&1 || true
	echo "---- evidence: the cell's console (last 40 lines)"
	warden cell console $CELL 2>&1 | tail -n 40 || true
	if [ -s $W/prev-console ]; then
		echo "---- evidence: the console of the last cell destroyed, $prev_id (last 40 lines)"
		tail -n 40 $W/prev-console
	fi
	[ -s $W/hv.log ] || warden console > $W/hv.log 2>&1
	echo "---- evidence: the hypervisor's log about cells $prev_id and $cur_id (last 40 lines)"
	grep -E "cell (${prev_id:-x}|${cur_id:-x}) " $W/hv.log | tail -n 40
	echo "---- evidence: the hypervisor's log (last 40 lines; $(wc -c < $W/hv.log) bytes read of $(num "$(warden status --json)" console_head) written)"
	tail -n 40 $W/hv.log
	[ ! -s $W/hv.err ] || echo "log reader: $(cat $W/hv.err)"
	echo "---- evidence: hypervisor status"
	warden status 2>&1 | head -n 14 || true
	echo "---- evidence: CPUs online: $(cat $CPU/online)"
	echo "---- evidence: dmesg (last 40 lines)"
	dmesg | tail -n 40
	echo "---- end of evidence"
}
fail() {
	evidence >&2
	echo "FAIL: $*" >&2
	exit 1
}

# A hang is caught by the watchdog of tests/vm/helpers.sh (HANG_SECONDS,
# default 60): the main loop marks its progress with `alive`.

# STRESS_DEBUG_UART=1: the hypervisor's log on the serial console as well (evidence
# when the machine hangs or panics).
modprobe warden ${STRESS_DEBUG_UART:+debug_uart=1}
warden enable $D/system.yaml
pool0=$(num "$(warden status --json)" used_pages)
echo "pool: $pool0 pages used before the loop"

# Root's canaries: 32 MiB of random bytes in tmpfs, i.e. in root's RAM.
dd if=/dev/urandom of=/dev/shm/canary bs=1M count=32 2>/dev/null
canary0=$(sha256sum < /dev/shm/canary)

# The hypervisor's log, read all along (a flood would overwrite it otherwise).
follow_hv_log
start_watchdog

# Root hotplugs its CPU 1 meanwhile.
(
	n=0 bad=0
	while [ ! -e $W/stop ]; do
		echo 0 > $CPU/cpu1/online 2>/dev/null || bad=$((bad + 1))
		sleep "0.$(rand 3)"
		echo 1 > $CPU/cpu1/online 2>/dev/null || bad=$((bad + 1))
		n=$((n + 1))
		sleep "0.$(rand 5)"
	done
	echo "$n $bad" > $W/hotplug
) &
hotplug_pid=$!

prev_id="" cur_id=""
iter=0 failed_cells=0 refusals=0 shutdowns=0 denied=0 restarts=0 cpu_hotplugs=0
faulted_ids=
ends=

# Destroy the cell, whatever its state; refusals (locked, refused) are retried
# for 20 s, then the case fails: the cell keeps the lock or never stops.
destroy_cell() {
	local t0 j st
	t0=$(now)
	j=$(cell_json $CELL)
	cur_id=$(num "$j" id)
	warden cell console $CELL > $W/console 2>&1 || true
	st=$(str "$j" state)
	if [ "$st" = failed ]; then
		failed_cells=$((failed_cells + 1))
		faulted_ids="$faulted_ids $(num "$j" id)"
	fi
	st=$(echo "${st:-none}" | tr ' ' -)
	ends="$ends $st/$(str "$j" stop_reason)"
	last_end="$st/$(str "$j" stop_reason)"
	while ! warden cell destroy $CELL 2> $W/err; do
		refusals=$((refusals + 1))
		if [ $(($(now) - t0)) -ge 20 ]; then
			cat $W/err
			j=$(cell_json $CELL)
			fail "iteration $iter: cell $cur_id could not be destroyed for 20 s (state $(str "$j" state), locked $(echo "$j" | grep -o '"locked": *[a-z]*' | cut -d: -f2 | tr -d ' '), CPUs running $(echo "$j" | grep -o '"cpus_running": *\[[0-9, ]*\]' | cut -d: -f2 | tr -d ' '))"
		fi
		# A cell that refused its shutdown is asked again.
		if grep -q "refused its shutdown" $W/err; then
			warden cell shutdown $CELL > /dev/null 2>&1 || true
		fi
		sleep 0.1
	done
	prev_id=$cur_id cur_id=
	mv $W/console $W/prev-console
	for c in 2 3; do
		[ "$(cat $CPU/cpu$c/online)" = 1 ] ||
			fail "iteration $iter: CPU $c did not come back online after the destroy"
	done
}

# Ask the cell to shut down (it may approve, deny, or be locked).
shutdown_cell() {
	shutdowns=$((shutdowns + 1))
	warden cell shutdown $CELL > /dev/null 2> $W/err || denied=$((denied + 1))
}

start_cell() {
	warden cell load $CELL > /dev/null || fail "iteration $iter: load refused"
	warden cell start $CELL || fail "iteration $iter: start refused"
}

t_start=$(now)
t_end=$((t_start + STRESS_SECONDS))
while [ "$(now)" -lt $t_end ]; do
	iter=$((iter + 1))
	t_iter=$(now_cs)
	alive
	# No cell exists now: create, load and start must succeed (a little
	# patience for root's own hotplug of CPU 1, which shares Linux's
	# hotplug lock).
	t0=$(now)
	while ! warden cell run $CELL > /dev/null 2> $W/err; do
		if [ $(($(now) - t0)) -ge 15 ]; then
			cat $W/err
			fail "iteration $iter: create refused for 15 s with no cell left"
		fi
		sleep 0.2
	done
	action=$(rand 7)
	[ $action = 6 ] || sleep "0.$(rand 8)"
	case $action in
	0|1|6)	;;				# destroy it while it runs (6: at once)
	2)	shutdown_cell ;;
	3)	i=0				# let it end itself, for 2 s at most
		while [ $i -lt 10 ]; do
			case $(str "$(cell_json $CELL)" state) in running*) ;; *) break ;; esac
			sleep 0.2; i=$((i + 1))
		done ;;
	4)	shutdown_cell			# and start it again where it stopped
		st=$(str "$(cell_json $CELL)" state)
		if [ "${st#running}" = "$st" ]; then
			[ "$st" != failed ] || { failed_cells=$((failed_cells + 1))
				faulted_ids="$faulted_ids $(num "$(cell_json $CELL)" id)"; }
			restarts=$((restarts + 1))
			start_cell
			sleep "0.$(rand 8)"
		fi ;;
	5)	;;
	esac
	destroy_cell
	if [ $action = 5 ]; then		# hotplug a CPU the cell just gave back
		c=$((2 + $(rand 2)))
		echo 0 > $CPU/cpu$c/online
		echo 1 > $CPU/cpu$c/online
		cpu_hotplugs=$((cpu_hotplugs + 1))
	fi
	[ $((iter % 3)) != 0 ] || [ "$(str "$(warden status --json)" state)" = enabled ] ||
		fail "iteration $iter: the hypervisor is no longer enabled"
	t=$(($(now_cs) - t_iter))
	echo "iteration $iter: cell $prev_id, action $action, the cell $last_end, $((t / 100)).$((t / 10 % 10)) s"
done
t_loop=$(($(now) - t_start))
alive
touch $W/stop
wait $hotplug_pid
read -r hp_n hp_bad < $W/hotplug
sleep 1				# the last lines reach the log reader
stop_hv_log

[ $t_loop -gt 0 ] || t_loop=1
echo "stress: $iter iterations in $t_loop s ($((iter * 60 / t_loop)) per minute)"
echo "stress: $failed_cells cells failed, $shutdowns shutdown requests ($denied refused or unanswered), $restarts restarts, $refusals destroy refusals retried, $cpu_hotplugs hotplugs of a cell's CPU after destroy"
echo "stress: CPU 1 hotplugged $hp_n times by root meanwhile, $hp_bad writes refused"
echo "stress: how the cells ended (state/stop reason): $(echo $ends | tr ' ' '\n' | sort | uniq -c | tr '\n' ';' | tr -s ' ')"

# Every CPU back in root and online, the pool as before the loop.
expect_cpus_home "$pool0"
status=$(warden status --json)
expect_eq "hypervisor state" enabled "$(str "$status" state)"
expect_eq "no cells left" 0 "$(num "$status" cells)"

# The log, read all along, holds every failure seen, and no FATAL.
if [ -s $W/hv.err ]; then
	echo "log reader: $(cat $W/hv.err)"
fi
lost=0
for id in $faulted_ids; do
	grep -qiE "cell $id .*fail" $W/hv.log || { lost=$((lost + 1)); echo "missing: cell $id's fault record"; }
done
echo "log: $(wc -c < $W/hv.log) bytes read, $(echo $faulted_ids | wc -w) fault records expected, $lost missing"
expect_hv_log_sound
[ $lost = 0 ] || fail "$lost fault records missing from the hypervisor's log"
echo "ok: every fault record in the log, no FATAL, no root abort"

expect_eq "root's canaries" "$canary0" "$(sha256sum < /dev/shm/canary)"
rm -f /dev/shm/canary
if dmesg | grep -E 'failed to boot|did not come back online'; then
	fail "the kernel could not boot a CPU"
fi
warden disable
expect_eq "after disable" disabled "$(str "$(warden status --json)" state)"
dmesg_clean
