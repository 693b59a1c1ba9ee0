# shellcheck shell=sh
# Run inside the emulated machine (initramfs, multi-threaded TCG) by
# tests/bench/run: root's cost next to hostile cells, one "name<TAB>value"
# line each. Root (CPU 0) times `warden cell list` (median of LIST_N) and a
# shell loop of LOOP_N iterations (median of LOOP_RUNS) next to each
# neighbour in turn, and counts the hypervisor's event interrupts over
# EVENT_S seconds:
#   spin     hostile-spin on CPUs 1 and 2 (bench-spin, described here):
#            spins without a trap (the baseline)
#   cpu-on   hostile-cpu-hop: CPUs 1 and 2 powering each other on and off
#   lock     hostile-lock-flood: the lock hypercall in a loop (CPU 2)
#   console  hostile-console-flood: CPUs 1 and 2 writing their console
#            flat out
# Multi-threaded TCG: with one thread for all CPUs, QEMU runs them in turn,
# and a cell CPU that never yields takes its whole turn while root's ends
# at its next timer tick, which makes root 30 times slower next to any busy
# cell, whatever the hypervisor does.
# The flooding cases are also given as ratios to the spinning one. Never
# asserts: a step that fails prints "failed"; a neighbour that starves root
# for good leaves its lines out (the run's timeout ends the machine).
D=/usr/share/warden/cells.d
LIST_N=5
LOOP_N=10000
LOOP_RUNS=3
EVENT_S=3

# shellcheck disable=SC3028 # busybox ash has $EPOCHREALTIME
now_us() { echo "$EPOCHREALTIME" | tr -d .; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
events() { grep warden-events /proc/interrupts | awk '{ s = 0; for (i = 2; i <= 5; i++) s += $i; print s }'; }

# Median wall time in microseconds of N runs of COMMAND..., or "failed".
timed() {
	n=$1
	shift
	times=
	for _ in $(seq "$n"); do
		t0=$(now_us)
		"$@" >/dev/null 2>&1 || { echo failed; return; }
		times="$times $(($(now_us) - t0))"
	done
	echo $times | tr ' ' '\n' | median
}

spin_loop() {
	i=0
	while [ $i -lt $LOOP_N ]; do
		i=$((i + 1))
	done
}

ms() {
	if [ "$1" = failed ]; then
		echo failed
	else
		echo "$1" | awk '{ printf "%.1f ms", $1 / 1000 }'
	fi
}
ratio() { # VALUE BASE
	if [ "$1" = failed ] || [ -z "$2" ] || [ "$2" = failed ]; then
		ms "$1"
	else
		echo "$1 $2" | awk '{ printf "%.1f ms, %.2fx the spinning case", $1 / 1000, $1 / $2 }'
	fi
}

# neighbour KEY LABEL DESC
neighbour() {
	cell=$(basename "$3" .yaml)
	if ! warden cell run "$3" >/dev/null 2>&1; then
		printf 'root next to %s: warden cell list (median of %s)\tfailed\n' "$2" $LIST_N
		return
	fi
	sleep 1
	e0=$(events)
	sleep $EVENT_S
	e1=$(events)
	list=$(timed $LIST_N warden cell list)
	loop=$(timed $LOOP_RUNS spin_loop)
	if [ "$1" = spin ]; then
		base_list=$list
		base_loop=$loop
		printf 'root next to %s: warden cell list (median of %s)\t%s\n' "$2" $LIST_N "$(ms "$list")"
		printf 'root next to %s: shell loop of %s (median of %s)\t%s\n' "$2" $LOOP_N $LOOP_RUNS "$(ms "$loop")"
	else
		printf 'root next to %s: warden cell list\t%s\n' "$2" "$(ratio "$list" "$base_list")"
		printf 'root next to %s: shell loop\t%s\n' "$2" "$(ratio "$loop" "$base_loop")"
	fi
	printf 'root next to %s: event interrupts per second\t%s\n' "$2" \
		"$(echo "$e0 $e1" | awk -v s=$EVENT_S '{ printf "%.1f", ($2 - $1) / s }')"
	t0=$(now_us)
	if warden cell destroy "$cell" >/dev/null 2>&1; then
		printf 'root next to %s: warden cell destroy\t%s\n' "$2" "$(ms $(($(now_us) - t0)))"
	else
		printf 'root next to %s: warden cell destroy\tfailed\n' "$2"
	fi
}

modprobe warden || exit 1
warden enable $D/system.yaml >/dev/null || exit 1
cat >/tmp/bench-spin.yaml <<'EOF'
cell: bench-spin
cpus: [1, 2]
memory:
  - name: ram
    guest: 0x0
    host: 0x76b0_0000
    size: 1M
    access: [read, write, execute, loadable]
image: /usr/lib/warden/inmates/hostile-spin.bin
entry: 0x0
console: virtual
shutdown: passive
restart: no
EOF
neighbour spin "a spinning cell (2 CPUs)" /tmp/bench-spin.yaml
neighbour cpu-on "a CPU_ON flood (2 CPUs)" $D/hostile-cpu-hop.yaml
neighbour lock "a lock flood (1 CPU)" $D/hostile-lock-flood.yaml
neighbour console "a console flood (2 CPUs)" $D/hostile-console-flood.yaml
warden disable
