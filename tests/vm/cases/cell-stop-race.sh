# image: initramfs
# args: --tcg=multi --timeout=180
# Issue 10, class 2: a stop arriving while a cell CPU is on its way in.
# hostile-cpu-hop's CPUs keep starting each other (each CPU turns itself
# off only once the other has entered, and keeps starting it until then),
# so that one is nearly always coming up; root stops the cell (a passive
# cell stops at once) at a different moment each round, and starts it
# again (a new cell every DESTROY_EVERY rounds). The stop must reach every
# CPU: the cell is "shut down" with no CPU running it, its exits counter
# stands still, the destroy succeeds and Linux gets CPUs 1 and 2 back. (A
# shutdown that answers -EBUSY because the hypervisor's bounded wait for
# CPUs on their way off ran out on a busy host is noted, not failed, as
# long as every CPU then stops.) hello (CPU 3) beats throughout; at the end every CPU is back
# and the hypervisor can be disabled. Multi-threaded TCG, so that the CPUs
# really run at the same time.
D=/usr/share/warden/cells.d
ROUNDS=16
DESTROY_EVERY=8

shutdown_busy=0

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)

for i in $(seq $ROUNDS); do
	# A fresh cell every DESTROY_EVERY rounds; in between, start it again.
	if [ $((i % DESTROY_EVERY)) -eq 1 ]; then
		warden cell run $D/hostile-cpu-hop.yaml >/dev/null
	else
		warden cell start hostile-cpu-hop
	fi
	sleep "0.$((i * 37 % 40 + 5))"
	rc=0
	t0=$(now_ms)
	out=$(warden cell shutdown hostile-cpu-hop 2>&1) || rc=$?
	t1=$(now_ms)
	stats=$(warden cell stats hostile-cpu-hop --json)
	echo "round $i: shutdown status $rc in $((t1 - t0)) ms${out:+ ($out)}; $stats"
	if [ $rc -ne 0 ]; then
		# The hypervisor's wait for CPUs on their way off is bounded: on a
		# busy host it may give up first. Not a lost stop as long as every
		# CPU does stop.
		warden console 2>/dev/null | tail -n 12
		wait_until 50 no_cpu_runs hostile-cpu-hop
		stats=$(warden cell stats hostile-cpu-hop --json)
		echo "round $i: $((waited * 100)) ms later: $stats"
		shutdown_busy=$((shutdown_busy + 1))
	fi
	expect_match "round $i: shut down" '"state":"shut down"' "$stats"
	expect_match "round $i: no CPU runs the cell" '"cpus_running":\[\]' "$stats"
	e0=$(field "$stats" exits)
	sleep 0.3
	e1=$(field "$(warden cell stats hostile-cpu-hop --json)" exits)
	expect_eq "round $i: exits stand still once shut down" "$e0" "$e1"
	if [ $((i % DESTROY_EVERY)) -eq 0 ]; then
		rc=0
		out=$(warden cell destroy hostile-cpu-hop 2>&1) || rc=$?
		[ $rc -eq 0 ] || fail "round $i: destroy failed: $out"
		expect_eq "round $i: CPUs 1 and 2 back in Linux (hello has 3)" "0-2" \
			"$(cat /sys/devices/system/cpu/online)"
	fi
done

[ $shutdown_busy -eq 0 ] ||
	echo "note: $shutdown_busy shutdown(s) answered -EBUSY although every CPU stopped"
expect_beating "$hb0"
stop_hello
expect_eq "no cells left" "No cells." "$(warden cell list)"
expect_match "the hypervisor counts no cell" '"cells":0' "$(warden status --json)"
expect_all_back
