# image: initramfs
# A cell's permission to refuse (may-refuse), through `warden` alone.
# refuse-demo (CPU 2) denies shutdown requests but its description does not
# let it refuse: its lock call is refused, `warden cell shutdown` fails
# saying so, and `warden cell destroy` stops it without its approval
# (monitor: stop reason forced). A copy described with may-refuse: true keeps
# running while it refuses: its destroy is refused naming the rule, until it
# approves (its fourth request). locked-demo (CPU 1, granted) holds the lock:
# its shutdown and destroy, and another cell's creation, are refused naming
# the rule and the cell that holds the lock.
D=/usr/share/warden/cells.d
# answers_1 WHAT RULE PATTERN COMMAND...: COMMAND exits with status 1
# (check WHAT), printing what matches PATTERN (check RULE)
answers_1() {
	local what=$1 rule=$2 pattern=$3 out rc=0
	shift 3
	out=$("$@" 2>&1) || rc=$?
	echo "$out"
	expect_eq "$what" 1 "$rc"
	expect_match "$rule" "$pattern" "$out"
}
modprobe warden
warden enable $D/system.yaml

# --- not granted ---
warden cell run $D/refuse-demo.yaml
sleep 1
out=$(warden cell console refuse-demo)
echo "$out"
expect_match "lock refused without the grant" 'refuse-demo: the lock was refused: -1' "$out"
stats=$(warden cell stats refuse-demo --json)
expect_eq "may_refuse" false "$(field "$stats" may_refuse)"
expect_match "stats text" 'May refuse: +no' "$(warden cell stats refuse-demo)"
list=$(warden cell list)
echo "$list"
expect_match "list: SHUTDOWN column" 'refuse-demo +running +2 +cooperative' "$list"

answers_1 "shutdown fails" "shutdown: the rule" \
	"cell 'refuse-demo' refused the shutdown request, but its description does not let it refuse \(may-refuse: false\): 'warden cell destroy refuse-demo' stops it without its approval" \
	warden cell shutdown refuse-demo
expect_match "the cell denied" 'refuse-demo: shutdown requested: denying \(1 of 3\)' "$(warden cell console refuse-demo)"
expect_eq "shutdown_refused" true "$(field "$(warden cell stats refuse-demo --json)" shutdown_refused)"

warden monitor --json >/tmp/monitor.json 2>&1 &
monitor=$!
sleep 0.5
out=$(warden cell destroy refuse-demo 2>&1)
echo "$out"
expect_match "destroy: stopped without its approval, and why" \
	"Cell 'refuse-demo' was stopped without its approval: its description does not let it refuse" "$out"
sleep 0.5
kill $monitor
wait $monitor || true
events=$(cat /tmp/monitor.json)
echo "$events" | tail -n 3
expect_match "monitor: destroyed, stop reason forced" \
	'"name":"refuse-demo","state":"destroyed"[^}]*"stop_reason":"forced"' "$events"
expect_match "module log" "cell [0-9]+ 'refuse-demo' stopped without its approval: its description does not let it refuse" \
	"$(dmesg)"
expect_eq "CPU 2 back" "0-3" "$(cat /sys/devices/system/cpu/online)"

# --- granted: the same program, described with may-refuse: true ---
mkdir -p /tmp/granted
sed 's/^shutdown: cooperative$/shutdown: cooperative\nmay-refuse: true/' $D/refuse-demo.yaml >/tmp/granted/refuse-demo.yaml
warden cell run /tmp/granted/refuse-demo.yaml
sleep 1
expect_match "lock granted with the grant" 'refuse-demo: the lock was granted: unlocking at once' \
	"$(warden cell console refuse-demo)"
expect_eq "may_refuse" true "$(field "$(warden cell stats refuse-demo --json)" may_refuse)"
expect_match "list: may-refuse" 'refuse-demo +running +2 +may-refuse' "$(warden cell list)"
answers_1 "shutdown refused" "shutdown: the rule" \
	"cell 'refuse-demo' refused the shutdown request, which its description allows \(may-refuse: true\); it keeps running" \
	warden cell shutdown refuse-demo
answers_1 "destroy refused" "destroy: the rule" \
	"cell 'refuse-demo' may not be destroyed: it refused its shutdown, which its description allows \(may-refuse: true\)" \
	warden cell destroy refuse-demo
expect_match "still running" '"name":"refuse-demo","state":"running"' "$(warden cell list --json)"
expect_fail "second request denied" warden cell shutdown refuse-demo
expect_fail "third request denied" warden cell shutdown refuse-demo
warden cell shutdown refuse-demo
expect_match "fourth approved" 'refuse-demo: shutdown requested after 3 denials: approving' \
	"$(warden cell console refuse-demo)"
out=$(warden cell destroy refuse-demo 2>&1)
case $out in *"without its approval"*) fail "an approved cell was said to be stopped without its approval: $out" ;; esac
expect_eq "CPU 2 back again" "0-3" "$(cat /sys/devices/system/cpu/online)"

# --- granted and locked ---
warden cell run $D/locked-demo.yaml
sleep 1
expect_match "locked" 'locked-demo: locked' "$(warden cell console locked-demo)"
expect_eq "may_refuse" true "$(field "$(warden cell stats locked-demo --json)" may_refuse)"
expect_match "list: may-refuse" 'locked-demo +running/locked +1 +may-refuse' "$(warden cell list)"
out=$(warden cell shutdown locked-demo 2>&1) && fail "a locked cell was shut down"
echo "$out"
expect_match "shutdown refused: the rule" \
	"cell 'locked-demo' is locked and may not be shut down: it holds the reconfiguration lock, which its description allows \(may-refuse: true\)" \
	"$out"
out=$(warden cell destroy locked-demo 2>&1) && fail "a locked cell was destroyed"
echo "$out"
expect_match "destroy refused: the rule" \
	"cell 'locked-demo' is locked and may not be destroyed: it holds the reconfiguration lock, which its description allows \(may-refuse: true\)" \
	"$out"
out=$(warden cell run $D/refuse-demo.yaml 2>&1) && fail "a cell was created while another locked reconfiguration"
echo "$out"
expect_match "create refused: names the lock's holder" "reconfiguration is locked by cell 'locked-demo' \(id [0-9]+\)" "$out"
wait_until 150 console_has locked-demo 'locked-demo: unlocked'
warden cell shutdown locked-demo
warden cell destroy locked-demo
expect_eq "every CPU back" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
dmesg_clean
