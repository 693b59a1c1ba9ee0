# image: initramfs
# machines: a53 gicv2
# Hostile inmates, one at a time on CPU 2 while hello runs on CPU 3: each
# is contained (its cell failed with the right kind, everything else
# running): reading and writing root's memory, writing the hypervisor's,
# reading memory that is not the cell's, enabling root's UART interrupt in
# the distributor, PSCI CPU_ON of root's CPU 0, an SGI to CPU 0. smc-probe
# is not hostile: an unknown SMC is answered -1.
D=/usr/share/warden/cells.d
modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml

# hostile NAME REASON-PATTERN
hostile() {
	local list i=0
	warden cell run "$D/$1.yaml"
	while ! warden cell list --json | grep -q '"state":"failed"' && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	list=$(warden cell list --json)
	echo "$list"
	warden cell console "$1"
	expect_match "$1 failed" "\"name\":\"$1\"[^]]*\"state\":\"failed\"" "$list"
	expect_match "$1: reason" "$2" "$list"
	expect_match "$1: hello unharmed" '"name":"hello"[^]]*"state":"running"' "$list"
	warden cell destroy "$1"
}

hostile hostile-read-root 'data abort at 0x40000000'
hostile hostile-write-root 'data abort at 0x40000000'
hostile hostile-write-hv 'data abort at 0x70000000'
hostile hostile-gicd 'GIC access at 0x8000104'
hostile hostile-read-cell 'data abort at 0x71000000'
hostile hostile-psci 'PSCI'
hostile hostile-sysreg 'GIC|SGI'

warden cell run $D/smc-probe.yaml
sleep 1
out=$(warden cell console smc-probe)
echo "$out"
expect_match "unknown SMC answered NOT_SUPPORTED" 'returned -1' "$out"
warden cell shutdown smc-probe
warden cell destroy smc-probe

hb1=$(field "$(warden cell stats hello --json)" heartbeat)
sleep 1.2
hb2=$(field "$(warden cell stats hello --json)" heartbeat)
[ "$hb2" -gt "$hb1" ] || fail "hello stopped beating ($hb1 -> $hb2)"
echo "ok: hello beat through all of it ($hb1 -> $hb2)"
warden cell shutdown hello
warden cell destroy hello
expect_eq "CPUs back" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
dmesg_clean
