# image: initramfs
# args: --timeout=90
# A cell's private interrupt state does not follow its CPU back to root:
# hostile-ppi-pending (CPU 2) sets every SGI and PPI pending in its own
# redistributor and powers off. After the destroy CPU 2 must come back
# online in Linux and run work; with the SGIs still pending, Linux takes
# SGI 2 (its IPI_CPU_STOP) as soon as it enables its IPIs and the CPU is
# gone ("CPU2: failed to come online", or an RCU stall and a machine that
# hangs until the timeout). Found by hv-fuzz (issue 10, class 5).
D=/usr/share/warden/cells.d
modprobe warden
warden enable $D/system.yaml
warden cell run $D/hostile-ppi-pending.yaml
wait_while 50 cell_is hostile-ppi-pending running
warden cell console hostile-ppi-pending
expect_match "the cell powered off" 'shut down' "$(warden cell list)"
warden cell destroy hostile-ppi-pending
expect_eq "CPU 2 back online" "0-3" "$(cat /sys/devices/system/cpu/online)"
expect_eq "work runs on CPU 2" "ok" "$(taskset -c 2 echo ok)"
# Twice more, and a hotplug of it: the CPU keeps working.
echo 0 > /sys/devices/system/cpu/cpu2/online
echo 1 > /sys/devices/system/cpu/cpu2/online
expect_eq "work runs on CPU 2 after a hotplug" "ok" "$(taskset -c 2 echo ok)"
warden disable
if dmesg | grep -E 'failed to come online|failed to boot|rcu.*stall'; then
	fail "the kernel lost CPU 2"
fi
dmesg_clean
