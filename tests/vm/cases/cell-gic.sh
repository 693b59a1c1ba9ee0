# image: initramfs
# machines: a53 gicv2
# Interrupts in cells: gic-demo (CPU 3) takes two SGIs by their
# priorities (the list registers carry each interrupt's own), a 10 Hz timer interrupt,
# with direct delivery as it ships (none of its interrupts exits) and
# trapped through the virtual GIC, and prints its latency, next to hello
# (moved to CPU 2 for this), while root keeps working. locked-demo (CPU 1) locks reconfiguration:
# its shutdown and any new cell are refused until it unlocks by itself.
D=/usr/share/warden/cells.d
modprobe warden
warden enable $D/system.yaml
mkdir -p /tmp/on2
sed 's/^cpus: \[3\]/cpus: [2]/' $D/hello.yaml > /tmp/on2/hello.yaml
warden cell run /tmp/on2/hello.yaml
# gic-demo as shipped (direct delivery) and trapped; GICv2 has trapped only.
. /warden/env
modes="direct trapped"
[ "$WARDEN_GIC" = 2 ] && modes=trapped
mkdir -p /tmp/gd
for m in $modes; do
sed "s/^interrupts: direct/interrupts: $m/" $D/gic-demo.yaml > /tmp/gd/gic-demo.yaml
warden cell run /tmp/gd/gic-demo.yaml
expect_eq "$m: CPUs 2 and 3 in cells" "0-1" "$(cat /sys/devices/system/cpu/online)"
sleep 2.5
out=$(warden cell console gic-demo)
echo "$out" | tail -n 5
n=$(echo "$out" | grep -c 'gic-demo: timer latency [0-9]* ns (min [0-9]*, max [0-9]*)')
[ "$n" -ge 10 ] || fail "$m: only $n timer interrupts in 2.5 s at 10 Hz"
echo "ok: $m: $n timer interrupts reached gic-demo"
expect_match "$m: SGI to itself" 'SGI 1 received on CPU 3' "$out"
expect_match "$m: the more urgent SGI first" 'taken in the order 3 2: by priority' "$out"
list=$(warden cell list --json)
expect_match "$m: hello running" '"name":"hello","state":"running"' "$list"
expect_match "$m: gic-demo running" '"name":"gic-demo","state":"running"' "$list"
# Root's interrupts still never reach the hypervisor.
irq0=$(warden status --json | grep -o '"cpu":0,[^}]*' | grep -o '"irq":[0-9]*' | cut -d: -f2)
expect_eq "$m: root CPU 0 takes no interrupt exits" 0 "$irq0"
# A direct cell's interrupts never exit either.
irq3=$(warden status --json | grep -o '"cpu":3,[^}]*' | grep -o '"irq":[0-9]*' | cut -d: -f2)
[ "$m" = trapped ] || expect_eq "direct: gic-demo's interrupts do not exit" 0 "$irq3"
warden cell shutdown gic-demo
warden cell destroy gic-demo
done

warden cell run $D/locked-demo.yaml
sleep 1
expect_match "locked" 'locked-demo: locked' "$(warden cell console locked-demo)"
expect_match "listed as running/locked" '"name":"locked-demo","state":"running/locked"' "$(warden cell list --json)"
out=$(warden cell shutdown locked-demo 2>&1) && fail "a locked cell was shut down"
expect_match "shutdown refused while locked" 'locked' "$out"
out=$(warden cell run $D/gic-demo.yaml 2>&1) && fail "a cell was created while another locked reconfiguration"
expect_match "reconfiguration refused while locked" 'locked' "$out"
out=$(warden cell destroy hello 2>&1) && fail "a cell was destroyed while another locked reconfiguration"
expect_match "destroy refused while locked, naming the lock's holder" "reconfiguration is locked by cell 'locked-demo'" "$out"
wait_until 150 console_has locked-demo 'locked-demo: unlocked'
expect_match "unlocked by itself" 'locked-demo: unlocked' "$(warden cell console locked-demo)"
warden cell shutdown locked-demo
warden cell destroy locked-demo
warden cell shutdown hello
warden cell destroy hello
expect_eq "every CPU back" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
dmesg_clean
