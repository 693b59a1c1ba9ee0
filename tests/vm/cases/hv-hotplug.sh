# image: initramfs
# machines: a53 gicv2
# CPU hotplug keeps working while the hypervisor runs: CPU_OFF and CPU_ON
# are trapped, a CPU coming online starts under the hypervisor before it
# enters Linux, and a CPU that was offline at enable joins when it comes up.
online() { cat /sys/devices/system/cpu/online; }
enabled() { warden status --json | grep -o '"cpus_enabled":\[[0-9,]*\]'; }

modprobe warden
echo 0 > /sys/devices/system/cpu/cpu2/online
expect_eq "CPU 2 offline before enable" "0-1,3" "$(online)"
warden enable /usr/share/warden/cells.d/system.yaml
expect_eq "three CPUs enabled" '"cpus_enabled":[0,1,3]' "$(enabled)"

echo 1 > /sys/devices/system/cpu/cpu2/online
expect_eq "CPU 2 back online" "0-3" "$(online)"
expect_eq "CPU 2 joined the hypervisor" '"cpus_enabled":[0,1,2,3]' "$(enabled)"

for i in 1 2 3; do
	echo 0 > /sys/devices/system/cpu/cpu3/online
	expect_eq "CPU 3 offline ($i)" "0-2" "$(online)"
	expect_eq "CPU 3 left ($i)" '"cpus_enabled":[0,1,2]' "$(enabled)"
	echo 1 > /sys/devices/system/cpu/cpu3/online
	expect_eq "CPU 3 online ($i)" "0-3" "$(online)"
	expect_eq "CPU 3 back under the hypervisor ($i)" '"cpus_enabled":[0,1,2,3]' "$(enabled)"
done
# Work runs on the re-onlined CPU.
taskset -c 3 sh -c 'i=0; while [ $i -lt 1000 ]; do i=$((i+1)); done'

log=$(warden console)
echo "$log"
expect_match "log: CPU 2 started by the hypervisor" 'CPU 2 online \(MPIDR 0x2\), entering root at' "$log"
expect_match "log: CPU 3 off" 'CPU 3 off' "$log"
smc=$(warden status --json | grep -o '"smc":[0-9]*' | cut -d: -f2 | awk '{s+=$1} END {print s}')
[ "$smc" -ge 8 ] || fail "expected at least 8 trapped PSCI calls, saw $smc"
echo "ok: $smc PSCI calls trapped"

warden disable
# After disable, hotplug goes through Linux's stub again.
echo 0 > /sys/devices/system/cpu/cpu3/online
echo 1 > /sys/devices/system/cpu/cpu3/online
expect_eq "hotplug after disable" "0-3" "$(online)"
rmmod warden
dmesg_clean
