# image: systemd
# args: --u-boot --smp=4 --timeout=420
# The shipped u-boot-demo under celld: `systemctl start cell@u-boot-demo`
# boots Debian's U-Boot to its prompt; a command typed through `cellctl
# console -i` (celld's ConsoleWrite) answers on the attached console and in
# the unit's journal; U-Boot's `poweroff` (PSCI SYSTEM_OFF) ends the unit
# inactive, not failed, and celld gives its CPU back; the attached console
# ends (status 0) saying the cell is gone.
D=/usr/share/warden/cells.d
cp $D/u-boot-demo.yaml /etc/cells.d/
journal() { journalctl -u cell@u-boot-demo --no-pager -o cat; }
wait_for() {	# PATTERN COMMAND: until its output matches, some 120 s at most
	local i=0
	while ! eval "$2" | grep -qE "$1" && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
	eval "$2" | grep -qE "$1" || { eval "$2" | tail -n 30; fail "no '$1' in: $2"; }
}

cellctl validate
systemctl start cell@u-boot-demo
# The prompt ends no line, so it is not in the journal yet: read the ring.
wait_for '^=> ' 'warden cell console u-boot-demo 2>/dev/null'
out=$(journal)
echo "$out" | tail -n 25
expect_match "U-Boot's banner in the unit's journal" '^U-Boot 2[0-9]{3}\.[0-9]{2}' "$out"

mkfifo /tmp/in
cellctl console -i u-boot-demo </tmp/in >/tmp/attach 2>/tmp/attach.err &
writer=$!
exec 3>/tmp/in
printf 'setenv w %s; echo celld-${w}-ok\r' "$WARDEN_NONCE" >&3
wait_for "^celld-$WARDEN_NONCE-ok" 'cat /tmp/attach'
wait_for "celld-$WARDEN_NONCE-ok" journal
echo "ok: the answer reached the attached console and the journal"
expect_eq "celld runs it" active "$(systemctl is-active cell@u-boot-demo)"

printf 'poweroff\r' >&3
wait_for inactive 'systemctl is-active cell@u-boot-demo || true'
exec 3>&-
wait $writer || fail "cellctl console -i failed when the cell powered off: $(cat /tmp/attach.err)"
cat /tmp/attach.err
expect_match "the attached console says the cell is gone" 'terminated: the cell is gone' "$(cat /tmp/attach.err)"
if grep -q 'no cell with id' /tmp/attach.err; then fail "an error for a cell that powered off while attached"; fi
out=$(journal)
echo "$out" | tail -n 8
expect_eq "unit inactive after U-Boot's poweroff" inactive "$(systemctl is-active cell@u-boot-demo || true)"
expect_match "celld says how it ended" 'SYSTEM_OFF|powered off|system-off' "$out"
wait_for '^0-3$' 'cat /sys/devices/system/cpu/online'
echo "ok: CPU 2 back in Linux"
