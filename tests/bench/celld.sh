# shellcheck shell=sh
# Run inside the systemd image by tests/bench/run: figures of celld under
# systemd, one "name<TAB>value" line each. Never asserts: a step that fails
# prints "failed" as its value.
#
#   start latency   `systemctl start cell@hello` (returns once the cell runs:
#                   cellctl supervise sends READY=1 then) against
#                   `systemctl start` of a no-op unit (Type=oneshot,
#                   /bin/true), 5 of each in the same boot; medians and best
#   fault to signal crash-demo (restart: no) started through its unit; from
#                   the module's CELL_CHANGED event of its fault, as
#                   `warden monitor` prints it, to the PropertiesChanged
#                   signal with State "failed", as `busctl monitor` prints it.
#                   Each reader writes a line to /dev/kmsg when it sees its
#                   event, so both are stamped by the same kernel clock (us),
#                   and each pays the same pipe-and-shell cost. 3 runs.
#   memory          celld's VmRSS (and VmHWM) with hello and gic-demo running
D=/usr/share/warden/cells.d
N=5
FAULT_RUNS=3

now_us() { echo $(($(date +%s%N) / 1000)); }
# Numbers on stdin: "MEDIAN BEST" (the lower median).
stats() { grep -E '^-?[0-9]+$' | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%d %d\n", v[int((NR + 1) / 2)], v[1] }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
wait_active() { # UNIT STATE...: waits up to 30 s for one of the states
	u=$1; shift
	i=0
	while [ $i -lt 150 ]; do
		st=$(systemctl is-active "$u")
		for w in "$@"; do [ "$st" = "$w" ] && return 0; done
		sleep 0.2; i=$((i + 1))
	done
	return 1
}

cp $D/hello.yaml $D/gic-demo.yaml $D/crash-demo.yaml /etc/cells.d/
# hello on CPU 2, so that it runs alongside gic-demo (CPU 3), as in tests/vm/demo.sh.
sed -i 's/^cpus: \[3\]/cpus: [2]/' /etc/cells.d/hello.yaml
systemctl start celld || { printf 'celld: start of celld.service\tfailed\n'; exit 0; }

# Start latency.
printf '[Unit]\nDescription=no-op\n[Service]\nType=oneshot\nExecStart=/bin/true\n' \
	>/run/systemd/system/bench-noop.service
systemctl daemon-reload
systemctl start bench-noop	# warm: the first start loads the unit
noop='' cell='' ok=1
for _ in $(seq $N); do
	t0=$(now_us); systemctl start bench-noop || ok=; t1=$(now_us)
	noop="$noop $((t1 - t0))"
done
systemctl start cell@hello && systemctl stop cell@hello	# warm, as for the no-op unit
for _ in $(seq $N); do
	t0=$(now_us); systemctl start cell@hello || ok=; t1=$(now_us)
	cell="$cell $((t1 - t0))"
	systemctl stop cell@hello
done
if [ -n "$ok" ]; then
	read -r nm nb <<EOF
$(echo "$noop" | tr ' ' '\n' | stats)
EOF
	read -r cm cb <<EOF
$(echo "$cell" | tr ' ' '\n' | stats)
EOF
	printf 'celld: start cell@hello (median / best of %s)\t%s / %s ms\n' $N "$(ms "$cm")" "$(ms "$cb")"
	printf 'celld: start no-op unit (median / best of %s)\t%s / %s ms\n' $N "$(ms "$nm")" "$(ms "$nb")"
	printf 'celld: cell@hello / no-op start (medians; bests)\t%s; %s\n' \
		"$(awk -v a="$cm" -v b="$nm" 'BEGIN { printf "%.1f", a / b }')" \
		"$(awk -v a="$cb" -v b="$nb" 'BEGIN { printf "%.1f", a / b }')"
else
	printf 'celld: cell@hello / no-op start (medians; bests)\tfailed\n'
fi

# Fault to PropertiesChanged.
stamp() { # WHO: writes WHO to /dev/kmsg at the first line of stdin matching $PATTERN, then drains
	while read -r line; do
		# shellcheck disable=SC2254 # PATTERN is a glob
		case $line in
		$PATTERN) echo "celld-bench: $1" >/dev/kmsg; break ;;
		esac
	done
	cat >/dev/null
}
# The kernel's timestamp (us) of the last /dev/kmsg line with TEXT.
kmsg_us() { dmesg -r | grep -F "$1" | tail -n 1 | sed 's/^<[0-9]*>\[ *\([0-9]*\)\.\([0-9]*\)\].*/\1\2/'; }
deltas=
for run in $(seq $FAULT_RUNS); do
	sh -c 'echo $$ >/run/bench-warden.pid; exec warden monitor' |
		PATTERN='*Cell crash-demo (*): failed*' stamp "fault $run" &
	sh -c 'echo $$ >/run/bench-busctl.pid; exec busctl monitor --match="type=signal,interface=org.freedesktop.DBus.Properties,member=PropertiesChanged,path=/org/warden/cell1/cell/crash_2ddemo" 2>/dev/null' |
		PATTERN='*STRING "failed";*' stamp "signal $run" &
	sleep 1
	systemctl reset-failed cell@crash-demo 2>/dev/null
	systemctl start cell@crash-demo
	wait_active cell@crash-demo failed inactive
	sleep 0.5
	kill "$(cat /run/bench-warden.pid)" "$(cat /run/bench-busctl.pid)"
	wait
	f=$(kmsg_us "celld-bench: fault $run"); s=$(kmsg_us "celld-bench: signal $run")
	[ -n "$f" ] && [ -n "$s" ] && deltas="$deltas $((s - f))"
done
if [ -n "$deltas" ]; then
	read -r dm _ <<EOF
$(echo "$deltas" | tr ' ' '\n' | stats)
EOF
	printf 'celld: fault to PropertiesChanged (median of %s)\t%s ms (runs:%s us)\n' \
		"$(echo "$deltas" | wc -w)" "$(ms "$dm")" "$deltas"
else
	printf 'celld: fault to PropertiesChanged\tfailed\n'
fi

# Memory, with hello and gic-demo running.
if systemctl start cell@hello cell@gic-demo; then
	sleep 2
	pid=$(systemctl show -p MainPID --value celld)
	printf 'celld: VmRSS, hello and gic-demo running\t%s kB (VmHWM %s kB)\n' \
		"$(awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status)" "$(awk '/^VmHWM:/ { print $2 }' /proc/"$pid"/status)"
	systemctl stop cell@hello cell@gic-demo
else
	printf 'celld: VmRSS, hello and gic-demo running\tfailed\n'
fi
