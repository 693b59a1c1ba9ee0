# image: initramfs
# 50 create/start/destroy cycles leak nothing: the hypervisor's pool and
# the cell ids' CPUs come back every time.
D=/usr/share/warden/cells.d
modprobe warden
warden enable $D/system.yaml
pool0=$(field "$(warden status --json)" used_pages)
i=0
while [ $i -lt 50 ]; do
	i=$((i + 1))
	warden cell run $D/hello.yaml > /dev/null
	warden cell destroy hello
	used=$(field "$(warden status --json)" used_pages)
	[ "$used" = "$pool0" ] || fail "cycle $i: pool at $used pages, $pool0 before"
done
echo "ok: 50 cycles, pool at $pool0 pages"
expect_eq "CPU 3 back" "0-3" "$(cat /sys/devices/system/cpu/online)"
expect_eq "no cells" "[]" "$(warden cell list --json)"
warden disable
rmmod warden
dmesg_clean
