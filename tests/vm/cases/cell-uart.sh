# image: systemd
# args: --smp=4 --timeout=420
# The virtual PL011 (cells.d/uart-demo.yaml, inmates/demos/uart-demo.c, which
# knows only the UART's registers). Under celld: its TX lines reach the
# journal; a line written through `cellctl console -i` (ConsoleWrite) comes
# back upper-cased after the cell took a receive interrupt on its SPI; a
# second writer is refused while the first holds the console; `warden cell
# console -i` (netlink, no celld) writes too, and the input round trip is
# measured; a 64-bit read of FR fails the cell with a located device fault.
D=/usr/share/warden/cells.d
cp $D/uart-demo.yaml /etc/cells.d/
now_ms() { echo $(($(date +%s%N) / 1000000)); }
journal() { journalctl -u cell@uart-demo --no-pager -o cat; }
wait_for() {	# PATTERN COMMAND: until its output matches, up to 20 s
	local end=$(($(now_ms) + 20000))
	while ! eval "$2" | grep -qE "$1" && [ "$(now_ms)" -lt $end ]; do sleep 0.01; done
}

systemctl start cell@uart-demo
wait_for 'type a line' journal
out=$(journal)
echo "$out"
expect_match "TX through the UART reaches the journal" 'uart-demo: cell 1 on CPU 3, PL011 at 0x9000000, SPI 96' "$out"

# One writer through celld; a second one is refused while it is attached.
(printf 'hello uart\r'; sleep 3) | cellctl console -i uart-demo >/tmp/attach 2>/tmp/attach.err &
writer=$!
wait_for 'HELLO UART' 'cat /tmp/attach'
out=$(printf 'x\r' | cellctl console -i uart-demo 2>&1) && fail "a second writer was let in: $out"
echo "$out"
expect_match "a second writer is refused" 'console of cell uart-demo has a writer already' "$out"
wait $writer
cat /tmp/attach.err
out=$(cat /tmp/attach)
echo "$out"
expect_match "the echo, after a receive interrupt" 'uart-demo: HELLO UART \(rx irqs [1-9][0-9]*\)' "$out"
expect_match "attach said how to leave" 'Press \^\] three times within 1s' "$(cat /tmp/attach.err)"
wait_for 'HELLO UART' journal
expect_match "the echo is in the journal too" 'uart-demo: HELLO UART' "$(journal)"
expect_match "celld saw the writer leave" 'left|leaves the console' "$(journalctl -u celld --no-pager -o cat)"

# warden cell console -i: the module directly. Round trips, root -> cell -> root.
mkfifo /tmp/in
warden cell console -i uart-demo </tmp/in >/tmp/out 2>/tmp/out.err &
reader=$!
exec 3>/tmp/in
total=0
for i in 1 2 3 4 5; do
	t0=$(now_ms)
	printf 'rt%s\r' $i >&3
	wait_for "RT$i " 'cat /tmp/out'
	t=$(($(now_ms) - t0))
	total=$((total + t))
	echo "input round trip $i: $t ms"
done
echo "input round trip: $((total / 5)) ms on average (wall time, TCG, 10 ms polling)"
exec 3>&-
wait $reader
expect_match "warden cell console -i writes and reads" 'uart-demo: RT5 ' "$(cat /tmp/out)"

# A 64-bit access to the UART: the cell fails (restart: no, so celld gives its
# CPU back and the unit ends failed), the fault names the register.
(printf 'fault\r'; sleep 1) | timeout 20 warden cell console -i uart-demo >/dev/null 2>&1 || true
wait_for failed 'systemctl is-active cell@uart-demo'
out=$(journal)
echo "$out" | tail -n 5
expect_match "uart-demo failed, the fault located" 'Cell uart-demo failed: fault: emulated device access refused at 0x9000018' "$out"
expect_match "its last words" 'a 64-bit read of FR now' "$out"
if echo "$out" | grep -q 'still here'; then fail "uart-demo survived its 64-bit read"; fi
