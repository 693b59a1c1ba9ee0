# shellcheck shell=sh
# Run inside the emulated machine by tests/bench/run: figures of cells, one
# "name<TAB>value" line each (a name starting with @ is data for run, not a
# figure). The first word says which part ("set -- PART;" before the script):
#   icount  the machine runs under QEMU -icount (virtual time counts
#           instructions): gic-demo's timer latencies and SGI costs in
#           counter ticks, alone on the machine, and the time from the kick
#           to its CPU off when it is destroyed
#   tcg     plain TCG: exits per second of a busy cell (gic-demo, 10 Hz timer
#           interrupt) and of an idle one (hello, which busy-waits; under
#           -icount its 10 s of counter-polling loop took over a minute);
#           time from `warden cell run` (create, load, start) to a running
#           cell, and each step, best of 5; the stop of a cell that blocks
#           the kick (the fallback)
# Never asserts: a step that fails prints "failed" as its value.
D=/usr/share/warden/cells.d
LAT_N=40		# gic-demo latencies reported (the console ring keeps 8 KiB: ~80 lines)
LAT_WAIT=5		# seconds gic-demo runs for them (10 Hz)
EXIT_S=10		# seconds over which exits are counted

stat_field() { warden cell stats "$1" --json | grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# CELL SECONDS: the cell's exits per second over SECONDS of the guest's clock.
exits_per_s() {
	e0=$(stat_field "$1" exits); t0=$(uptime_s)
	sleep "$2"
	e1=$(stat_field "$1" exits); t1=$(uptime_s)
	if [ -n "$e0" ] && [ -n "$e1" ]; then
		echo "$e0 $e1 $t0 $t1" | awk '{ printf "%.1f", ($2 - $1) / ($4 - $3) }'
	else
		echo failed
	fi
}

# Microseconds since the epoch (busybox ash's $EPOCHREALTIME: microsecond
# resolution; busybox date has no %N).
# shellcheck disable=SC3028 # the guest's sh is busybox ash (initramfs image)
now_us() { echo "$EPOCHREALTIME" | tr -d .; }

# COMMAND...: best wall time of 5 runs in ms (3 decimals), each followed by
# `warden cell destroy hello` (if there is one); "failed" if a run fails.
best_of_5() {
	best=
	for _ in 1 2 3 4 5; do
		t0=$(now_us)
		"$@" >/dev/null 2>&1 || { warden cell destroy hello >/dev/null 2>&1; echo failed; return; }
		t1=$(now_us)
		warden cell destroy hello >/dev/null 2>&1
		t=$((t1 - t0))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	echo "$best" | awk '{ printf "%.3f", $1 / 1000 }'
}

# Each step alone (create, load, start), best of 5 each.
steps() {
	bc=; bl=; bs=
	for _ in 1 2 3 4 5; do
		t0=$(now_us)
		warden cell create $D/hello.yaml >/dev/null 2>&1 || { echo failed; return; }
		t1=$(now_us)
		warden cell load hello >/dev/null 2>&1 || { warden cell destroy hello >/dev/null 2>&1; echo failed; return; }
		t2=$(now_us)
		warden cell start hello >/dev/null 2>&1 || { warden cell destroy hello >/dev/null 2>&1; echo failed; return; }
		t3=$(now_us)
		warden cell destroy hello >/dev/null 2>&1
		c=$((t1 - t0)); l=$((t2 - t1)); s=$((t3 - t2))
		if [ -z "$bc" ] || [ "$c" -lt "$bc" ]; then bc=$c; fi
		if [ -z "$bl" ] || [ "$l" -lt "$bl" ]; then bl=$l; fi
		if [ -z "$bs" ] || [ "$s" -lt "$bs" ]; then bs=$s; fi
	done
	echo "$bc $bl $bs" | awk '{ printf "%.1f / %.1f / %.1f ms", $1 / 1000, $2 / 1000, $3 / 1000 }'
}

# gic-demo's description with its interrupts delivered MODE (direct, trapped)
gic_demo_as() {
	mkdir -p /tmp/gd
	sed "s/^interrupts: .*/interrupts: $1/" $D/gic-demo.yaml >/tmp/gd/gic-demo.yaml
}
MODES="direct direct-strict trapped"
grep -q '^ *version: 2' $D/system.yaml && MODES=trapped

# TEXT: gic-demo's SGI cost lines as "SEND HANDLER" tick pairs, space-separated fields
sgi_costs() {
	echo "$1" | sed -n 's/^gic-demo: SGI cost: sent in \([0-9]*\) ticks, handler \([0-9]*\) ticks.*/\1 \2/p'
}
# CELL: the hypervisor's last "CPUs off N us after the kick" for CELL
kick_to_off() {
	warden console | tr -d '\r' | sed -n "s/.*'$1': CPUs off \([0-9]*\) us after the kick.*/\1/p" | tail -1
}

modprobe warden || exit 1
warden enable $D/system.yaml >/dev/null || exit 1

case "$1" in
icount)
	# gic-demo alone, and root quiet (one sleep, no polling) while it runs:
	# under -icount every vCPU's instructions advance the clock, and QEMU
	# runs the vCPUs in turn, so whatever root or another cell executes
	# when the deadline passes counts in the latency. As it ships (direct
	# delivery), then trapped; GICv2 has trapped only.
	for mode in $MODES; do
		gic_demo_as $mode
		if warden cell run /tmp/gd/gic-demo.yaml >/dev/null; then
			sleep $LAT_WAIT
			out=$(warden cell console gic-demo | tr -d '\r')
			ticks=$(echo "$out" | sed -n 's/^gic-demo: timer latency .*), \([0-9]*\) ticks (.*/\1/p' |
				head -n $LAT_N | tr '\n' ' ')
			printf '@gic-demo-ticks-%s\t%s\n' $mode "${ticks:-none}"
			printf '@gic-demo-freq\t%s\n' "$(echo "$out" | sed -n 's/.*counter at \([0-9]*\) Hz.*/\1/p' | head -1)"
			costs=$(sgi_costs "$out")
			printf '@gic-demo-sgi-send-%s\t%s\n' $mode "$(echo "$costs" | cut -d' ' -f1 | tr '\n' ' ')"
			printf '@gic-demo-sgi-taken-%s\t%s\n' $mode "$(echo "$costs" | cut -d' ' -f2 | tr '\n' ' ')"
			warden cell destroy gic-demo >/dev/null 2>&1
			printf 'kick to CPU off, gic-demo %s (-icount, virtual time)\t%s us\n' $mode \
				"$(kick_to_off gic-demo)"
		else
			printf '@gic-demo-ticks-%s\tnone\n' $mode
		fi
	done
	;;
tcg)
	for mode in $MODES; do
		gic_demo_as $mode
		if warden cell run /tmp/gd/gic-demo.yaml >/dev/null; then
			sleep 1
			printf 'cell exits/s, busy (gic-demo %s: 10 Hz, %s s)\t%s\n' $mode $EXIT_S \
				"$(exits_per_s gic-demo $EXIT_S)"
			warden cell destroy gic-demo >/dev/null 2>&1
		else
			printf 'cell exits/s, busy (gic-demo %s: 10 Hz, %s s)\tfailed\n' $mode $EXIT_S
		fi
	done
	if warden cell run $D/hello.yaml >/dev/null; then
		sleep 1
		printf 'cell exits/s, idle (hello: busy-waits, %s s)\t%s\n' $EXIT_S "$(exits_per_s hello $EXIT_S)"
		warden cell destroy hello >/dev/null 2>&1
	else
		printf 'cell exits/s, idle (hello: busy-waits, %s s)\tfailed\n' $EXIT_S
	fi
	# The kick blocked (hostile-direct's ap1r mode): the stage 2 is revoked
	# after the hypervisor's wait for the kick (5 s) runs out.
	if [ "$MODES" != trapped ] && warden cell create $D/hostile-direct.yaml >/dev/null &&
		warden cell load hostile-direct >/dev/null; then
		printf '\003\0\0\0\0\0\0\0' >/tmp/mode
		warden cell load hostile-direct /tmp/mode@0xf0000 >/dev/null
		warden cell start hostile-direct >/dev/null
		sleep 1
		warden cell destroy hostile-direct >/dev/null 2>&1
		printf 'kick blocked: CPU off after the kick (stage 2 revoked)\t%s us\n' \
			"$(kick_to_off hostile-direct)"
	fi
	printf 'cell create to running (cell run, best of 5)\t%s ms\n' "$(best_of_5 warden cell run $D/hello.yaml)"
	printf '  create / load / start (best of 5 each)\t%s\n' "$(steps)"
	printf '  warden cell list, for scale (best of 5)\t%s ms\n' "$(best_of_5 warden cell list)"
	;;
*)
	echo "cells.sh: unknown part '$1'" >&2
	;;
esac
warden disable
