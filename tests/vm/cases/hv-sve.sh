# image: initramfs
# args: --cpu=max,pauth-impdef=on --kernel-arg=id_aa64mmfr1.vh=0
# A CPU with SVE, SME and VHE (QEMU's max; VHE turned off for Linux, as on
# Armv9 boards): a CPU that comes online under the hypervisor, after
# hotplug or back from a cell, gets the EL2 vector length controls Linux
# set on the others, or Linux refuses it ("SVE: vector length support
# mismatch").
grep -q ' sve' /proc/cpuinfo || fail "the CPU has no SVE: this case tests nothing"
modprobe warden
warden enable /etc/cells.d/system.yaml
echo 0 > /sys/devices/system/cpu/cpu3/online
echo 1 > /sys/devices/system/cpu/cpu3/online
expect_eq "CPU 3 back after hotplug" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden cell run /usr/share/warden/cells.d/hello.yaml
wait_until 50 console_has hello "heartbeat 1"
console_has hello "heartbeat 1" || fail "hello did not run"
warden cell destroy hello
wait_until 50 sh -c '[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]'
expect_eq "CPU 3 back from the cell" "0-3" "$(cat /sys/devices/system/cpu/online)"
expect_fail "no vector length mismatch" sh -c 'dmesg | grep -q "vector length support mismatch"'
warden disable
rmmod warden
dmesg_clean
