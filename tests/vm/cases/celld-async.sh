# image: systemd
# args: --smp=4
# celld never blocks its event loop on a cell's netlink requests: "big" has a
# 150 MiB image (hello's program at its start), whose load takes seconds here.
# While its StartCell is under way, a read of its State answers "starting"
# (a loop busy with the load could answer only once the start had ended, with
# "running"), ListCells answers, and another cell (hello) starts and runs.
# A StopCell during the load cancels the start: StartCell fails with
# Error.Cancelled, StopCell succeeds, nothing is left in the hypervisor, CPU 2
# and the pool are back. A client that goes away during the start leaves a
# whole running cell, not a half-made one.
D=/usr/share/warden/cells.d
cp $D/hello.yaml /etc/cells.d/
cp /usr/lib/warden/inmates/hello.bin /run/big.bin
# Its load (about 3.5 s here) must outlast the reads and hello's whole
# start (about 1.3 s after big's start began, longer on a loaded host): at
# 60 MiB a busy host once had hello end 0.3 s after big. The file is sparse.
truncate -s 150M /run/big.bin
cat >/etc/cells.d/big.yaml <<'EOF'
cell: big
description: "hello's program at the start of a 150 MiB image"
cpus: [2]
memory:
  - name: ram
    guest: 0x0
    host: 0x7200_0000
    size: 160M
    access: [read, write, execute, loadable]
image: /run/big.bin
entry: 0x0
console: virtual
EOF
BIG=/org/warden/cell1/cell/big
M="busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager"
state() { busctl get-property org.warden.cell1 "$BIG" org.warden.cell1.Cell State; }
is_state() { [ "$(state)" = "s \"$1\"" ]; }
ms() { echo $(($(date +%s%N) / 1000000)); }
big_cells() { warden cell list --json | grep -o '"name": *"big"' | wc -l; }

systemctl start celld
pool0=$(num "$(warden status --json)" used_pages)
echo "pool before: $pool0 pages used"

# 1. While big's start is under way, celld answers, and it answers "starting".
t0=$(ms)
{ $M StartCell s big >/tmp/start1 2>&1; echo $? >/tmp/start1.rc; ms >/tmp/start1.end; } &
start=$!
wait_until 100 is_state starting
expect_eq "State read during the start" 's "starting"' "$(state)"
t1=$(ms)
list=$($M ListCells)
t2=$(ms)
expect_match "ListCells during the start" '"big" "starting"' "$list"
# Another cell starts meanwhile (its own worker), and runs before big's start has ended.
$M StartCell s hello
t3=$(ms)
hello_then=$(busctl get-property org.warden.cell1 /org/warden/cell1/cell/hello org.warden.cell1.Cell State)
wait $start
expect_eq "StartCell big succeeded" 0 "$(cat /tmp/start1.rc)"
t4=$(cat /tmp/start1.end)
echo "big's start took $((t4 - t0)) ms; during it ListCells answered in $((t2 - t1)) ms, then hello started in $((t3 - t2)) ms"
expect_eq "hello runs" 's "running"' "$hello_then"
[ "$t3" -lt "$t4" ] || fail "hello's start ended after big's ($t3 >= $t4 ms): not served during it"
echo "ok: hello's start ended $((t4 - t3)) ms before big's"
expect_eq "big runs" 's "running"' "$(state)"
wait_until 50 console_has big 'Hello from cell'
expect_match "big's program runs" 'Hello from cell' "$(warden cell console big)"
$M StopCell s big
$M StopCell s hello
expect_eq "no cell big left" 0 "$(big_cells)"

# 2. A stop during the load cancels the start and takes back what it made.
$M StartCell s big >/tmp/start2 2>&1 &
start=$!
wait_until 100 is_state starting
sleep 0.3       # into the load
$M StopCell s big || fail "StopCell during the start failed"
if wait $start; then
	fail "StartCell big succeeded although a stop came during its load"
fi
cat /tmp/start2
expect_match "StartCell: cancelled" 'the start of cell .big. was cancelled: it was asked to stop' "$(cat /tmp/start2)"
expect_eq "big inactive" 's "inactive"' "$(state)"
expect_eq "nothing left in the hypervisor" 0 "$(big_cells)"
expect_match "journal: the cancelled start" 'Stopped cell big: its start was cancelled on request' \
	"$(journalctl -u cell@big --no-pager -o cat)"
expect_eq "CPU 2 back" "0-3" "$(cat /sys/devices/system/cpu/online)"
expect_eq "pool as before" "$pool0" "$(num "$(warden status --json)" used_pages)"

# 3. The caller goes away during the start: the start completes, the cell runs whole.
busctl --timeout=0.5 call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager StartCell s big \
	>/tmp/start3 2>&1 && fail "StartCell big returned within 0.5 s: too quick for this check"
cat /tmp/start3
wait_while 300 is_state starting
expect_eq "big runs after its caller left" 's "running"' "$(state)"
expect_match "the hypervisor has it running" '"name": *"big", *"state": *"running"' "$(warden cell list --json)"
$M StopCell s big
expect_eq "no cell big left" 0 "$(big_cells)"
expect_eq "pool as before" "$pool0" "$(num "$(warden status --json)" used_pages)"
dmesg_clean
