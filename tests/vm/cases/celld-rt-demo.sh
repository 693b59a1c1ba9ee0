# image: systemd
# args: --rt-cell --smp=4 --timeout=420
# rt-demo as a user runs it: the installed description (its kernel path
# filled in by scripts/install with the PREEMPT_RT kernel's release) copied
# to /etc/cells.d with a shorter run (1000 wake-ups), started by `systemctl
# start cell@rt-demo` next to hello. cyclictest's summary reaches the unit's
# journal through the virtual PL011, the guest powers itself off (PSCI
# SYSTEM_OFF), the unit ends inactive, not failed, and CPU 2 comes back.
D=/usr/share/warden/cells.d
sed -e 's/-l 10000/-l 1000/' $D/rt-demo.yaml >/etc/cells.d/rt-demo.yaml
cp $D/hello.yaml /etc/cells.d/
journal() { journalctl -u cell@rt-demo --no-pager -o cat | tr -d '\r'; }
done_running() { [ "$(systemctl is-active cell@rt-demo)" != active ]; }
cpus_are() { [ "$(cat /sys/devices/system/cpu/online)" = "$1" ]; }

cellctl validate
systemctl start cell@hello
hb0=$(heartbeat)
systemctl start cell@rt-demo
expect_eq "rt-demo started" active "$(systemctl is-active cell@rt-demo)"
wait_until 3000 done_running
out=$(journal)
echo "$out" | grep -E '^rt-demo:|^T: |Stopped cell' || true
expect_eq "rt-demo ended inactive" inactive "$(systemctl is-active cell@rt-demo || true)"
expect_match "the PREEMPT_RT kernel ran" '^rt-demo: [^ ]*-rt-arm64 #1 SMP PREEMPT_RT .*, 1 CPU\(s\)$' "$out"
expect_match "cyclictest's summary in the journal" \
	'^T: 0 \( *[0-9]+\) P:90 I:1000 C: *1000 Min: *[0-9]+ Act: *[0-9]+ Avg: *[0-9]+ Max: *[0-9]+$' "$out"
expect_match "cyclictest succeeded" '^rt-demo: cyclictest exited with status 0$' "$out"
expect_match "celld says it powered off" 'powered off|SYSTEM_OFF' "$out"
wait_until 100 cpus_are 0-2
expect_eq "CPU 2 back" "0-2" "$(cat /sys/devices/system/cpu/online)"
expect_beating "$hb0"
systemctl stop cell@hello
expect_eq "every CPU back" "0-3" "$(cat /sys/devices/system/cpu/online)"
dmesg_clean
