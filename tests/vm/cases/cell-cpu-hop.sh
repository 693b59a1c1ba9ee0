# image: initramfs
# args: --kernel-arg=iomem=relaxed --tcg=multi --timeout=180
# Issue 10, class 1: a cell whose two CPUs power each other on and off
# (PSCI CPU_ON/CPU_OFF, at entry points of its choosing: hostile-cpu-hop)
# while root destroys it, over and over. No CPU the cell powered on may come
# up in the root cell: every destroy succeeds, Linux brings CPUs 1 and 2
# back (no "psci: failed to boot"), the hypervisor counts no instruction
# abort and logs none from root, and every CPU enters root at Linux's own
# entry. Twice: with the reference system, and with a system whose root
# regions also cover the cells' memory (0x7600_0000, which Linux does not
# use under mem=768M), where such a CPU would run the cell's stub with
# root's access: the stub then leaves ROOT_MAGIC in its block, which root
# reads after each destroy. hello (CPU 3) beats throughout. Multi-threaded
# TCG, so that the CPUs really run at the same time.
D=/usr/share/warden/cells.d
ROUNDS=6
BLOCK0=0x761f0000	# struct hop_cpu of each CPU (inmates/demos/hostile-cpu-hop.c)
BLOCK1=0x761f0040

# The hypervisor's log, as it comes: the hopping overwrites the ring quickly.
follow_log() {
	warden console -f >>/tmp/hv.log 2>>/tmp/hv.err &
	logger=$!
}
stop_log() {
	kill $logger 2>/dev/null || true
	wait $logger 2>/dev/null || true
}

# ROUNDS of run, hop for a while, destroy; LAYOUT names the system.
rounds() {
	local layout=$1 i out rc
	for i in $(seq $ROUNDS); do
		rc=0
		out=$(warden cell run $D/hostile-cpu-hop.yaml 2>&1) || rc=$?
		if [ $rc -ne 0 ]; then
			echo "$out"
			if [ "$layout" = covering ] && echo "$out" | grep -qi 'root'; then
				echo "note: the hypervisor refuses a cell in root's memory: nothing left to test in this layout"
				return 0
			fi
			fail "$layout round $i: hostile-cpu-hop did not start"
		fi
		# Destroy at a different moment of the hopping each round.
		sleep "0.$((i * 2 + 1))"
		echo "$layout round $i: $(warden cell list | grep hostile-cpu-hop)"
		rc=0
		out=$(warden cell destroy hostile-cpu-hop 2>&1) || rc=$?
		if [ $rc -ne 0 ]; then
			warden cell list --json
			warden console 2>/dev/null | tail -n 6
			fail "$layout round $i: destroy failed: $out"
		fi
		expect_eq "$layout round $i: CPUs 1 and 2 back in Linux (hello has 3)" "0-2" "$(cat /sys/devices/system/cpu/online)"
		if [ "$layout" = covering ]; then
			# Root maps the cell's memory again: the stub's marks, if it ran in root.
			expect_eq "$layout round $i: CPU 1's block, no stub ran in root" \
				"0x0000000000000000" "$(devmem $BLOCK0 64)"
			expect_eq "$layout round $i: CPU 2's block, no stub ran in root" \
				"0x0000000000000000" "$(devmem $BLOCK1 64)"
		fi
	done
}

# iabt_count: the instruction aborts the hypervisor counted, all CPUs together
iabt_count() { warden status --json | grep -o '"iabt":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'; }

# layout SYSTEM LAYOUT: enable SYSTEM, run the rounds next to hello (which
# must beat through them), add the hypervisor's instruction aborts to iabt
layout() {
	local hb0
	warden enable "$1"
	follow_log
	warden cell run $D/hello.yaml
	hb0=$(heartbeat)
	rounds "$2"
	expect_beating "$hb0" "through the $2 rounds"
	iabt=$((iabt + $(iabt_count)))
	stop_hello
	stop_log
}

modprobe warden
iabt=0

# 1. The reference system.
layout $D/system.yaml reference
warden disable

# 2. Root's regions cover the cells' memory.
# The first region of root-cell.memory, whatever follows it in the file.
awk '{ print }
	/^root-cell:/ { root = 1 }
	root && /^  memory:/ {
		print "    - name: cells-pool"
		print "      base: 0x7600_0000"
		print "      size: 16M"
		print "      access: [read, write]"
		root = 0
	}' $D/system.yaml >/tmp/system.yaml
cellctl validate /tmp/system.yaml
layout /tmp/system.yaml covering

log=$(tr -d '\r' </tmp/hv.log)
echo "hypervisor log: $(wc -c </tmp/hv.log) bytes kept; $(cat /tmp/hv.err)"
echo "$log" | grep -E 'root|FATAL' | sort | uniq -c | sort -rn | head -n 20
if dmesg | grep -E 'psci: failed to boot|did not come back online'; then
	fail "Linux could not bring a CPU back"
fi
echo "ok: Linux brought every CPU back"
expect_eq "instruction aborts counted by the hypervisor" 0 "$iabt"
if echo "$log" | grep -E 'root CPU [0-9]+: instruction abort|FATAL' | head -n 5 | grep .; then
	fail "the hypervisor log shows root instruction aborts or a hypervisor fault"
fi
echo "ok: no root instruction abort in the log"
entries=$(echo "$log" | sed -n 's/.*entering root at \(0x[0-9a-f]*\).*/\1/p' | sort -u)
echo "root entries: $(echo $entries)"
[ "$(echo "$entries" | grep -c .)" -le 1 ] || fail "CPUs entered root at more than one address: $(echo $entries)"
if echo "$entries" | grep -q '^0x761'; then
	fail "a CPU entered root at the cell's stub"
fi
echo "ok: every CPU entered root at Linux's entry"
expect_eq "CPUs back at the end" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
dmesg_clean
