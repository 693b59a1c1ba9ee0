# image: initramfs
# Issue 10, class 7: blinding root. hostile-cpu-hop (CPUs 1 and 2) powers
# its CPUs on and off as fast as it can, which costs the hypervisor's log
# a line per entry. Meanwhile another cell faults: "faulting", a cell on
# CPU 3 that runs hostile-read-root (a read of root's RAM at 0x40000000).
# Seconds of flood later, its fault record must still be in warden cell
# list --json and warden cell stats (kind, address) and in the
# hypervisor's log. hello beats on CPU 3 next to the flood before that.
D=/usr/share/warden/cells.d
log_head() { field "$(warden status --json)" console_head; }

cat >/tmp/faulting.yaml <<'EOF'
cell: faulting
cpus: [3]
memory:
  - name: ram
    guest: 0x0
    host: 0x76a0_0000
    size: 1M
    access: [read, write, execute, loadable]
image: /usr/lib/warden/inmates/hostile-read-root.bin
entry: 0x0
console: virtual
shutdown: passive
restart: no
EOF

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)
warden cell run $D/hostile-cpu-hop.yaml
sleep 2
expect_beating "$hb0" "next to the flood"
stop_hello

h0=$(log_head)
warden cell run /tmp/faulting.yaml
wait_until 50 cell_is faulting failed
sleep 5
h1=$(log_head)
echo "the hypervisor's log grew by $((h1 - h0)) bytes meanwhile"

list=$(warden cell list --json)
echo "$list"
expect_match "faulting failed" '"name":"faulting","state":"failed"' "$list"
expect_match "its fault in the list" '"reason":"data abort at 0x40000000' "$list"
stats=$(warden cell stats faulting --json)
expect_match "its fault in its stats: kind" '"kind":"data-abort"' "$stats"
expect_match "its fault in its stats: address" '"address":1073741824' "$stats"
expect_match "hostile-cpu-hop still hopping" '"name":"hostile-cpu-hop","state":"running"' "$list"
log=$(warden console 2>/dev/null | tr -d '\r')
if ! echo "$log" | grep -E "faulting.*0x40000000"; then
	echo "the log's first and last lines:"
	echo "$log" | head -n 3
	echo "$log" | tail -n 3
	fail "the fault of 'faulting' is not in the hypervisor's log ($(echo "$log" | wc -c) bytes)"
fi
echo "ok: its fault is in the hypervisor's log"

warden cell destroy hostile-cpu-hop
warden cell destroy faulting
expect_all_back
