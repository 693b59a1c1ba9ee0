# image: initramfs
# machines: a53 gicv2
# Fault containment: crash-demo (CPU 2) reads memory it does not own and
# fails alone, with the kind, address and syndrome, while hello (CPU 3)
# keeps beating and root keeps running; root hears of it from the
# hypervisor's event interrupt (a netlink notification), without polling.
D=/usr/share/warden/cells.d
modprobe warden
warden enable $D/system.yaml
warden monitor --json > /tmp/events &
mon=$!
sleep 0.3
warden cell run $D/hello.yaml
warden cell run $D/crash-demo.yaml
expect_eq "CPUs 2 and 3 left Linux" "0-1" "$(cat /sys/devices/system/cpu/online)"

i=0
while ! warden cell list --json | grep -q '"state":"failed"' && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
list=$(warden cell list --json)
echo "$list"
expect_match "crash-demo failed" '"name":"crash-demo"[^]]*"state":"failed"' "$list"
expect_match "the reason names the address" 'data abort at 0x40000000' "$list"
expect_match "hello still running" '"name":"hello"[^]]*"state":"running"' "$list"
out=$(warden cell console crash-demo)
echo "$out"
expect_match "crash-demo's last words" 'crash-demo: reading 0x40000000 now' "$out"
echo "$out" | grep -q 'still alive' && fail "crash-demo survived its read"

hb1=$(field "$(warden cell stats hello --json)" heartbeat)
sleep 1.5
hb2=$(field "$(warden cell stats hello --json)" heartbeat)
[ "$hb2" -gt "$hb1" ] || fail "hello stopped beating ($hb1 -> $hb2)"
echo "ok: hello beats on ($hb1 -> $hb2)"

kill $mon
events=$(cat /tmp/events)
echo "$events"
expect_match "failure announced as an event" '"crash-demo".*"failed"' "$events"
expect_match "hypervisor log" "cell [0-9]+ 'crash-demo' FAILED" "$(warden console)"

warden cell destroy crash-demo
warden cell shutdown hello
warden cell destroy hello
expect_eq "CPUs back" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
dmesg_clean
