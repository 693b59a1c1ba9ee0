# image: systemd
# args: --smp=4
# celld's policies: crash-demo with "restart: on-failure" and a limit of 3 is
# restarted with growing delays, then given up on (unit failed, result
# start-limit, the journal tells the story); with a 1 s watchdog it fails with
# result "watchdog" (it never beats); smc-probe powers itself off and its unit
# ends inactive, not failed. Reload: a changed description of a running cell
# sets NeedsRestart and takes effect at the restart; a broken description
# fails the reload with its diagnostic and changes nothing. A locked cell
# refuses to stop, with the rule that lets it (may-refuse). A cell that
# refuses without it (refuse-demo) is stopped when its 2 s timeout ends,
# without its approval, and the journal says which rule applied; described
# with may-refuse: true, its refusal stands. An autostart cell starts with
# cells.target.
D=/usr/share/warden/cells.d
CRASH=/org/warden/cell1/cell/crash_2ddemo
HELLO=/org/warden/cell1/cell/hello
prop() { busctl get-property org.warden.cell1 "$1" org.warden.cell1.Cell "$2"; }
wait_state() { # UNIT STATE [TRIES of 0.2 s]
	i=0
	while [ "$(systemctl is-active "$1" || true)" != "$2" ] && [ $i -lt "${3:-150}" ]; do sleep 0.2; i=$((i + 1)); done
}

sed 's/^restart: no$/restart: on-failure\nrestart-limit:\n  burst: 3\n  interval: 60s/' \
	$D/crash-demo.yaml >/etc/cells.d/crash-demo.yaml
systemctl start cell@crash-demo
wait_state cell@crash-demo failed
status=$(systemctl status cell@crash-demo --no-pager -l || true)
echo "$status"
expect_match "given up: unit failed" 'Active: failed' "$status"
expect_match "start-limit in the status" 'start-limit after 3 restarts' "$status"
expect_eq "Result" 's "start-limit"' "$(prop $CRASH Result)"
expect_eq "RestartCount" 'u 3' "$(prop $CRASH RestartCount)"
journal=$(journalctl -u cell@crash-demo --no-pager -o cat)
echo "$journal" | grep -v 'crash-demo: [0-9]'
expect_match "restart 1 after 100 ms" 'restart 1 of 3 in 100 ms' "$journal"
expect_match "restart 2 after 200 ms" 'restart 2 of 3 in 200 ms' "$journal"
expect_match "restart 3 after 400 ms" 'restart 3 of 3 in 400 ms' "$journal"
expect_match "then given up" 'after 3 restarts within 60 s: giving up \(start-limit\)' "$journal"
expect_eq "four runs" 4 "$(echo "$journal" | grep -c 'crash-demo: reading 0x40000000 now')"
expect_match "MESSAGE_ID of giving up" 'CELL_RESULT=start-limit' \
	"$(journalctl -u cell@crash-demo --no-pager -o verbose MESSAGE_ID=9f3c6a1e7b2d4c8f8a5e0d3b6c9f2a17)"
expect_eq "CPU 2 back in Linux" "0-3" "$(cat /sys/devices/system/cpu/online)"

# The watchdog: crash-demo never beats its heartbeat.
printf 'watchdog: 1s\n' >>/etc/cells.d/crash-demo.yaml
sed -i 's/^restart: on-failure$/restart: no/' /etc/cells.d/crash-demo.yaml
systemctl reload celld
systemctl reset-failed cell@crash-demo
systemctl start cell@crash-demo
wait_state cell@crash-demo failed
expect_eq "watchdog result" 's "watchdog"' "$(prop $CRASH Result)"
expect_match "watchdog in the status" 'watchdog: no heartbeat within 1000 ms' \
	"$(systemctl status cell@crash-demo --no-pager -l || true)"
expect_eq "CPU 2 back again" "0-3" "$(cat /sys/devices/system/cpu/online)"

# A clean end: smc-probe powers itself off (PSCI SYSTEM_OFF).
cp $D/smc-probe.yaml /etc/cells.d/
rm /etc/cells.d/crash-demo.yaml
systemctl reload celld
expect_match "crash-demo gone with its description" 'NoSuchCell|no cell' \
	"$(busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager GetCell s crash-demo 2>&1 || true)"
systemctl start cell@smc-probe || true
wait_state cell@smc-probe inactive
expect_eq "smc-probe's unit ends inactive" inactive "$(systemctl is-active cell@smc-probe || true)"
expect_match "it powered off" 'Stopped cell smc-probe: the cell powered off' \
	"$(journalctl -u cell@smc-probe --no-pager -o cat)"

# Reload: a running cell's description changes.
cp $D/hello.yaml /etc/cells.d/
systemctl reload celld
systemctl start cell@hello
expect_eq "NeedsRestart before" 'b false' "$(prop $HELLO NeedsRestart)"
sed -i 's/^watchdog: 5s$/watchdog: 6s/' /etc/cells.d/hello.yaml
systemctl reload celld
expect_eq "NeedsRestart after the change" 'b true' "$(prop $HELLO NeedsRestart)"
expect_eq "still the old description" 't 5000000' "$(prop $HELLO WatchdogUSec)"
expect_eq "still running" 's "running"' "$(prop $HELLO State)"

printf 'cell: broken\ncpus: [9]\nmemory: []\n' >/etc/cells.d/broken.yaml
rc=0
err=$(busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager Reload 2>&1) || rc=$?
echo "$err"
expect_eq "a broken description fails the reload" 1 "$rc"
expect_match "with the diagnostic" '/etc/cells.d/broken.yaml:[0-9]+:[0-9]+' "$err"
expect_match "nothing changed" 'nothing was changed' "$err"
expect_fail "systemctl reload fails too" systemctl reload celld
expect_eq "celld still active" active "$(systemctl is-active celld)"
expect_match "broken is not a cell" 'no cell|NoSuchCell|has errors' \
	"$(busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager GetCell s broken 2>&1 || true)"
rm /etc/cells.d/broken.yaml
systemctl reload celld

systemctl restart cell@hello
expect_eq "the new description after the restart" 't 6000000' "$(prop $HELLO WatchdogUSec)"
expect_eq "NeedsRestart cleared" 'b false' "$(prop $HELLO NeedsRestart)"
expect_eq "running again" 's "running"' "$(prop $HELLO State)"
systemctl stop cell@hello
expect_eq "CPUs back" "0-3" "$(cat /sys/devices/system/cpu/online)"

# A locked cell is not stopped: a named error with the module's reason, which
# names the rule (its description lets it lock: may-refuse), and it keeps
# running (locked-demo holds the lock for its first 10 s).
LOCKED=/org/warden/cell1/cell/locked_2ddemo
cp $D/locked-demo.yaml /etc/cells.d/
systemctl reload celld
systemctl start cell@locked-demo
i=0
while [ "$(prop $LOCKED State)" != 's "running/locked"' ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "State while locked" 's "running/locked"' "$(prop $LOCKED State)"
rc=0
err=$(busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager StopCell s locked-demo 2>&1) || rc=$?
echo "$err"
expect_eq "refused" 1 "$rc"
expect_match "with the reason" "cell 'locked-demo' was not stopped: .*is locked" "$err"
expect_match "naming the rule" "holds the reconfiguration lock, which its description allows \(may-refuse: true\)" "$err"
expect_eq "still running" active "$(systemctl is-active cell@locked-demo)"
expect_match "journal: refused, and why" \
	'Cell locked-demo was not stopped: .*which its description allows \(may-refuse: true\)' \
	"$(journalctl -u cell@locked-demo --no-pager -o cat)"
i=0
while [ "$(prop $LOCKED State)" != 's "running"' ] && [ $i -lt 150 ]; do sleep 0.2; i=$((i + 1)); done
expect_eq "unlocked after 10 s" 's "running"' "$(prop $LOCKED State)"
systemctl stop cell@locked-demo
expect_eq "then it stops" inactive "$(systemctl is-active cell@locked-demo || true)"
rm /etc/cells.d/locked-demo.yaml

# A cell that refuses without the grant: refuse-demo denies the request; celld
# waits for its 2 s shutdown timeout, then destroys it without its approval.
REFUSE=/org/warden/cell1/cell/refuse_2ddemo
cp $D/refuse-demo.yaml /etc/cells.d/
systemctl reload celld
systemctl start cell@refuse-demo
expect_eq "refuse-demo runs" 's "running"' "$(prop $REFUSE State)"
t0=$(date +%s%N)
systemctl stop cell@refuse-demo
ms=$((($(date +%s%N) - t0) / 1000000))
echo "stopped after $ms ms"
[ "$ms" -ge 1900 ] || fail "refuse-demo was stopped after $ms ms, before its 2 s shutdown timeout"
expect_eq "stopped" inactive "$(systemctl is-active cell@refuse-demo || true)"
expect_eq "a clean end" 's "success"' "$(prop $REFUSE Result)"
expect_eq "CPU 2 back" "0-3" "$(cat /sys/devices/system/cpu/online)"
journal=$(journalctl -u cell@refuse-demo --no-pager -o cat)
echo "$journal" | grep -v 'refuse-demo: heartbeat'
expect_match "the cell denied" 'refuse-demo: shutdown requested: denying \(1 of 3\)' "$journal"
expect_match "journal: the refusal does not count" \
	'Cell refuse-demo refused the shutdown request, but its description does not let it refuse \(may-refuse: false\): it is stopped without its approval when its shutdown timeout of 2 s ends' \
	"$journal"
expect_match "journal: stopped without its approval, and why" \
	'Cell refuse-demo was stopped without its approval after its shutdown timeout of 2 s: it refused the shutdown request, and its description does not let it refuse \(may-refuse: false\)' \
	"$journal"
expect_match "its own MESSAGE_ID" 'stopped without its approval' \
	"$(journalctl -u cell@refuse-demo --no-pager -o cat MESSAGE_ID=de582bd2f3224ef4ba09245ee93c320f)"

# The same cell with the grant: its refusal stands, and the stop fails saying so.
sed -i 's/^shutdown: cooperative$/shutdown: cooperative\nmay-refuse: true/' /etc/cells.d/refuse-demo.yaml
systemctl reload celld
systemctl start cell@refuse-demo
rc=0
err=$(busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager StopCell s refuse-demo 2>&1) || rc=$?
echo "$err"
expect_eq "refused" 1 "$rc"
expect_match "with the rule" \
	"cell 'refuse-demo' was not stopped: it refused the shutdown request, which its description allows \(may-refuse: true\); it keeps running" \
	"$err"
expect_eq "still running" 's "running"' "$(prop $REFUSE State)"
expect_eq "its unit too" active "$(systemctl is-active cell@refuse-demo)"
# It denies three requests, then approves.
busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager StopCell s refuse-demo 2>/dev/null && fail "second stop"
busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager StopCell s refuse-demo 2>/dev/null && fail "third stop"
systemctl stop cell@refuse-demo
expect_eq "approved the fourth" inactive "$(systemctl is-active cell@refuse-demo || true)"
expect_eq "CPU 2 back again" "0-3" "$(cat /sys/devices/system/cpu/online)"
rm /etc/cells.d/refuse-demo.yaml
systemctl reload celld

# Autostart: the generator makes cells.target (pulled in by multi-user.target)
# want cell@hello; starting the target, as a boot does, starts the cell.
printf 'autostart: true\n' >>/etc/cells.d/hello.yaml
systemctl daemon-reload
systemctl reload celld
expect_match "generated" 'cell@.service' "$(readlink /run/systemd/generator/cells.target.wants/cell@hello.service)"
expect_match "multi-user.target wants cells.target" 'cells.target' \
	"$(systemctl show -p Wants --value multi-user.target)"
expect_match "cells.target wants cell@hello" 'cell@hello.service' "$(systemctl show -p Wants --value cells.target)"
systemctl start cells.target
expect_eq "autostart cell runs" active "$(systemctl is-active cell@hello)"
expect_eq "Autostart property" 'b true' "$(prop $HELLO Autostart)"
systemctl stop cell@hello
dmesg_clean
