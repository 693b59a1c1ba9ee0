# image: initramfs
# Loading the module runs the hypervisor image at EL2 on every online CPU and
# gives EL2 back to Linux's stub: 20 load/unload cycles, then a CPU taken
# offline and brought back (it re-runs the kernel's EL2 init) all keep
# working, and the stub still answers afterwards.
for i in $(seq 20); do
	modprobe warden
	rmmod warden
done
expect_eq "20 probes, all on 4 CPUs" 20 "$(dmesg | grep -c 'answered at EL2 on 4 CPUs and gave EL2 back')"

echo 0 >/sys/devices/system/cpu/cpu3/online
modprobe warden
expect_match "probe with CPU 3 offline" 'answered at EL2 on 3 CPUs' "$(dmesg | grep warden: | tail -n 2)"
rmmod warden
echo 1 >/sys/devices/system/cpu/cpu3/online
expect_eq "CPU 3 back online" 1 "$(cat /sys/devices/system/cpu/cpu3/online)"
modprobe warden
expect_match "probe after CPU 3 came back" 'answered at EL2 on 4 CPUs' "$(dmesg | grep warden: | tail -n 2)"
rmmod warden
dmesg_clean
