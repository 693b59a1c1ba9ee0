# image: systemd
# args: --smp=4
# Cells under systemd: "systemctl start cell@hello" returns once hello runs on
# CPU 3; systemctl status, cellctl status, busctl and the journal (lifecycle
# and console lines) show it; restarting celld, and killing it, leaves the cell
# and its unit untouched (re-adopted, same object, same id); a non-root user
# can read but not start, nor Validate, which gives root a file's diagnostics as
# data; stopping it through celld ends the unit and gives CPU 3 back.
# gic-demo's unit shows its console lines. crash-demo with "restart: no" ends
# failed with its reason, and CPU 2 comes back; busctl monitor sees its State
# go running, then failed. celld killed in the middle of a start of hello:
# the unit ends active with exactly one cell hello, or failed with no cell.
D=/usr/share/warden/cells.d
cp $D/hello.yaml $D/crash-demo.yaml $D/gic-demo.yaml /etc/cells.d/
CELL=/org/warden/cell1/cell/hello
prop() { busctl get-property org.warden.cell1 "$1" org.warden.cell1.Cell "$2"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

busctl monitor --match="type=signal,interface=org.freedesktop.DBus.Properties,member=PropertiesChanged,path=$CELL" >/tmp/sig 2>&1 &
monitor=$!

t0=$(now_ms)
systemctl start cell@hello
echo "systemctl start cell@hello took $(($(now_ms) - t0)) ms"
expect_eq "cell@hello active" active "$(systemctl is-active cell@hello)"
expect_eq "CPU 3 left Linux" "0-2" "$(cat /sys/devices/system/cpu/online)"
expect_eq "State over D-Bus" 's "running"' "$(prop $CELL State)"
expect_eq "Id over D-Bus" 'u 1' "$(prop $CELL Id)"
expect_eq "CPUs over D-Bus" 'au 1 3' "$(prop $CELL CPUs)"
expect_eq "celld enabled the hypervisor" 's "enabled"' \
	"$(busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState)"
status=$(systemctl status cell@hello --no-pager -l)
echo "$status"
expect_match "systemctl status shows the state" 'Status: "Running as cell 1 on CPU 3"' "$status"
sleep 2.5
out=$(cellctl status hello)
echo "$out"
expect_match "cellctl status: state" 'State: running since' "$out"
expect_match "cellctl status: console lines" 'hello: heartbeat [12]' "$out"
expect_match "cellctl status --json" '"state": ?"running"' "$(cellctl status hello --json)"
expect_match "cellctl list" 'hello +running +success +1 +3' "$(cellctl list)"
journal=$(journalctl -u cell@hello --no-pager -o cat)
expect_match "journal: the start" 'Started cell hello \(id 1\) on CPU 3' "$journal"
expect_match "journal: console" 'Hello from cell 1 on CPU 3' "$journal"
expect_match "journal: heartbeats" 'hello: heartbeat 2' "$journal"
fields=$(journalctl -u cell@hello --no-pager -o verbose MESSAGE_ID=3b1f6c0e8a2d4f5b9c7e1a0d2f4b6c81)
expect_match "journal: CELL=" 'CELL=hello' "$fields"
expect_match "journal: CELL_STATE=" 'CELL_STATE=running' "$fields"
expect_match "journal: CELL_RESULT=" 'CELL_RESULT=success' "$fields"
kill $monitor
expect_match "PropertiesChanged announced the state" '"running"' "$(cat /tmp/sig)"

# The interface is the one documented in celld/data (installed with it).
live=$(busctl introspect --xml-interface org.warden.cell1 $CELL |
	sed -n '/<interface name="org.warden.cell1.Cell">/,/<\/interface>/p')
want=$(sed -n '/<interface name="org.warden.cell1.Cell">/,/<\/interface>/p' \
	/usr/share/dbus-1/interfaces/org.warden.cell1.Cell.xml)
expect_eq "introspection matches celld/data/org.warden.cell1.Cell.xml" "$want" "$live"

# Anyone may read; only root may act.
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
expect_eq "nobody reads State" 's "running"' "$(nobody busctl get-property org.warden.cell1 $CELL org.warden.cell1.Cell State)"
expect_match "nobody lists" 'hello' "$(nobody busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager ListCells)"
err=$(nobody busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager StopCell s hello 2>&1 || true)
expect_match "nobody may not stop it" 'Access denied|AccessDenied' "$err"
err=$(busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager StartCell s nosuch 2>&1 || true)
expect_match "unknown cell named" "no cell 'nosuch'" "$err"

# Validate(path): a file's diagnostics as (file, line, column, severity, rule,
# message), checked against the machine (system.yaml of the drop-in
# directories); root only. /run, not /tmp: celld has its own /tmp.
mkdir -p /run/validate
printf 'cell: bad\ncpus: [0]\nmemory:\n  - name: ram\n    host: 0x7100_0000\n    size: 1M\n    access: [read, execute]\nentry: 0x7100_0000\n' >/run/validate/bad.yaml
out=$(busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager Validate s /run/validate/bad.yaml)
echo "$out"
expect_match "Validate: the diagnostic, located" \
	'^a\(suusss\) 1 "/run/validate/bad.yaml" 2 7 "error" "cpu" "CPU 0 cannot be given away' "$out"
expect_eq "Validate: a valid file" 'a(suusss) 0' \
	"$(busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager Validate s /etc/cells.d/hello.yaml)"
expect_match "Validate: a directory" '"/run/validate/bad.yaml" 2 7' \
	"$(busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager Validate s /run/validate)"
err=$(nobody busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager Validate s /run/validate/bad.yaml 2>&1 || true)
expect_match "nobody may not Validate" 'Access denied|AccessDenied' "$err"

# celld restarts, and dies: the cell and its unit stay untouched.
pid=$(systemctl show -p MainPID --value cell@hello)
hb0=$(warden cell stats hello --json | grep -o '"heartbeat": *[0-9]*' | grep -o '[0-9]*$')
systemctl restart celld
expect_eq "State after celld's restart" 's "running"' "$(prop $CELL State)"
expect_eq "same cell" 'u 1' "$(prop $CELL Id)"
kill -9 "$(systemctl show -p MainPID --value celld)"
i=0
while ! busctl get-property org.warden.cell1 $CELL org.warden.cell1.Cell State >/dev/null 2>&1 && [ $i -lt 100 ]; do
	sleep 0.2; i=$((i + 1))
done
expect_eq "celld restarted by systemd" active "$(systemctl is-active celld)"
expect_eq "State after kill -9" 's "running"' "$(prop $CELL State)"
expect_eq "same cell after kill -9" 'u 1' "$(prop $CELL Id)"
expect_eq "unit untouched" "$pid active" "$(systemctl show -p MainPID --value cell@hello) $(systemctl is-active cell@hello)"
sleep 1.5
hb1=$(warden cell stats hello --json | grep -o '"heartbeat": *[0-9]*' | grep -o '[0-9]*$')
[ "$hb1" -gt "$hb0" ] || fail "hello stopped beating ($hb0 -> $hb1)"
echo "ok: hello kept beating ($hb0 -> $hb1)"
expect_match "journal: adopted" 'Adopted running cell hello \(id 1\)' "$(journalctl -u cell@hello --no-pager -o cat)"
n=$(journalctl -u cell@hello --no-pager -o cat | grep -c 'hello: heartbeat 2$' || true)
expect_eq "no console line twice" 1 "$n"

expect_match "cellctl console" 'Hello from cell 1 on CPU 3' "$(cellctl console hello)"
# Stopped through celld directly (not through the unit): the supervisor learns it
# from PropertiesChanged of the celld that re-adopted the cell, and ends the unit.
cellctl events --json >/tmp/events 2>&1 &
events=$!
sleep 0.5
busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager StopCell s hello
i=0
while [ "$(systemctl is-active cell@hello || true)" != inactive ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
kill $events
expect_match "cellctl events saw it stop" '"event":"cell-changed","cell":\{"name":"hello","state":"inactive"' "$(cat /tmp/events)"
expect_eq "cell@hello stopped" inactive "$(systemctl is-active cell@hello || true)"
expect_eq "stopped cleanly" "Result=success" "$(systemctl show -p Result cell@hello)"
expect_eq "State inactive" 's "inactive"' "$(prop $CELL State)"
expect_eq "CPU 3 back in Linux" "0-3" "$(cat /sys/devices/system/cpu/online)"
journal=$(journalctl -u cell@hello --no-pager -o cat)
expect_match "the cell approved" 'shutdown requested after [0-9]+ heartbeats' "$journal"
expect_match "journal: the stop" 'Stopped cell hello: stopped on request' "$journal"

# gic-demo on CPU 3: systemctl start returns once it runs; its console lines
# (timer latencies, 10 Hz) are in its unit's journal.
systemctl start cell@gic-demo
expect_eq "cell@gic-demo active" active "$(systemctl is-active cell@gic-demo)"
expect_eq "gic-demo's State" 's "running"' "$(prop /org/warden/cell1/cell/gic_2ddemo State)"
expect_eq "CPU 3 left Linux for gic-demo" "0-2" "$(cat /sys/devices/system/cpu/online)"
i=0
while ! journalctl -u cell@gic-demo --no-pager -o cat | grep -q 'gic-demo: timer latency' && [ $i -lt 75 ]; do
	sleep 0.2; i=$((i + 1))
done
journal=$(journalctl -u cell@gic-demo --no-pager -o cat)
echo "$journal" | head -n 8
expect_match "journal: gic-demo started" 'Started cell gic-demo \(id [0-9]+\) on CPU 3' "$journal"
expect_match "journal: gic-demo's console" 'gic-demo: timer latency' "$journal"
expect_match "systemctl status cell@gic-demo" 'Running as cell [0-9]+ on CPU 3' \
	"$(systemctl status cell@gic-demo --no-pager -l)"
expect_match "cellctl status gic-demo" 'State: running since' "$(cellctl status gic-demo)"
systemctl stop cell@gic-demo
expect_eq "cell@gic-demo stopped" inactive "$(systemctl is-active cell@gic-demo || true)"
expect_eq "CPU 3 back from gic-demo" "0-3" "$(cat /sys/devices/system/cpu/online)"

# crash-demo (restart: no) reads root's memory after 3 s: failed, with the reason.
busctl monitor --match="type=signal,interface=org.freedesktop.DBus.Properties,member=PropertiesChanged,path=/org/warden/cell1/cell/crash_2ddemo" >/tmp/sig-crash 2>&1 &
monitor=$!
sleep 0.5
systemctl start cell@crash-demo
expect_eq "CPU 2 left Linux" "0-1,3" "$(cat /sys/devices/system/cpu/online)"
i=0
while [ "$(systemctl is-active cell@crash-demo || true)" != failed ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
status=$(systemctl status cell@crash-demo --no-pager -l || true)
echo "$status"
expect_match "unit failed" 'Active: failed' "$status"
expect_match "with the reason" 'data abort at 0x40000000' "$status"
expect_eq "Result fault" 's "fault"' "$(prop /org/warden/cell1/cell/crash_2ddemo Result)"
kill $monitor
expect_match "busctl monitor: State running" 'STRING "State";[[:space:]]*VARIANT "s" \{[[:space:]]*STRING "running";' \
	"$(tr '\n' ' ' </tmp/sig-crash)"
expect_match "busctl monitor: State failed" 'STRING "State";[[:space:]]*VARIANT "s" \{[[:space:]]*STRING "failed";' \
	"$(tr '\n' ' ' </tmp/sig-crash)"
expect_eq "CPU 2 back in Linux" "0-3" "$(cat /sys/devices/system/cpu/online)"
journal=$(journalctl -u cell@crash-demo --no-pager -o cat)
expect_match "its last words" 'crash-demo: reading 0x40000000 now' "$journal"
expect_match "journal: failed" 'Cell crash-demo failed: fault: data abort at 0x40000000' "$journal"
expect_eq "no cells left" "[]" "$(warden cell list --json)"
journalctl --update-catalog
expect_match "journalctl -x explains the failure" 'celld does not restart it' \
	"$(journalctl -x -u cell@crash-demo --no-pager MESSAGE_ID=c4a81e6f2d9b4a7c8e3f0b1d6a5c9e23)"

# celld killed in the middle of a start of hello: right after the job is
# queued (before or while celld gets StartCell), and once the cell is in the
# hypervisor (created, being loaded and started, or just running). The unit
# ends active with exactly one cell hello, or failed with a named error and
# no cell; never stuck in activating.
for when in queued in-hypervisor; do
	i=0
	while ! busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState \
		>/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
	pid=$(systemctl show -p MainPID --value celld)
	[ "${pid:-0}" -gt 1 ] || fail "celld is not running (MainPID '$pid')"
	systemctl start --no-block cell@hello
	seen=
	if [ $when = in-hypervisor ]; then
		# CPU 3 leaves Linux when the cell is created (read with the shell's
		# builtin: polling with warden takes longer than the start).
		i=0
		while read -r online </sys/devices/system/cpu/online && [ "$online" = 0-3 ] && [ $i -lt 50000 ]; do
			i=$((i + 1))
		done
		kill -9 "$pid"
		seen=$(warden cell list --json | grep -o '"name": *"hello", *"state": *"[a-z]*"' | sed 's/.*"\([a-z]*\)"$/\1/')
	else
		kill -9 "$pid"
	fi
	i=0
	while ! busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState \
		>/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
	i=0
	while st=$(systemctl is-active cell@hello); [ "$st" != active ] && [ "$st" != failed ] && [ $i -lt 150 ]; do
		sleep 0.2; i=$((i + 1))
	done
	n=$(warden cell list --json | grep -o '"name": *"hello"' | wc -l)
	echo "killed celld ($when${seen:+: cell $seen}): cell@hello $st, $n cell(s) hello"
	journalctl -u cell@hello --no-pager -o cat --since=-20s | grep -v 'hello: heartbeat' | tail -n 8
	case $st in
	active) expect_eq "kill ($when): one cell hello" 1 "$n"
		expect_eq "kill ($when): running" 's "running"' "$(prop $CELL State)" ;;
	failed) expect_match "kill ($when): a named error" 'Failed to start' \
			"$(systemctl status cell@hello --no-pager -l || true)"
		expect_eq "kill ($when): no cell left" 0 "$n" ;;
	*) fail "kill ($when): cell@hello stuck in $st" ;;
	esac
	systemctl stop cell@hello
	systemctl reset-failed cell@hello 2>/dev/null || true
	expect_eq "kill ($when): CPU 3 back" "0-3" "$(cat /sys/devices/system/cpu/online)"
done
expect_eq "celld active after the kills" active "$(systemctl is-active celld)"
dmesg_clean
