# image: initramfs
# Refused cell requests say why and change nothing: no half-created cell,
# no CPU lost to Linux, no page of the hypervisor's pool leaked.
D=/usr/share/warden/cells.d
modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
pool0=$(field "$(warden status --json)" used_pages)
list0=$(warden cell list --json)
online0=$(cat /sys/devices/system/cpu/online)

# variant NAME SED-SCRIPT: hello.yaml renamed to NAME and edited
variant() {
	sed -e "s/^cell: hello/cell: $1/" -e "$2" $D/hello.yaml > /tmp/$1.yaml
}
# refused WHAT PATTERN COMMAND...: fails with PATTERN, nothing changed
refused() {
	local what=$1 pattern=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	echo "$out"
	[ $rc -ne 0 ] || fail "$what: succeeded"
	expect_match "$what: reason" "$pattern" "$out"
	expect_eq "$what: CPUs unchanged" "$online0" "$(cat /sys/devices/system/cpu/online)"
	expect_eq "$what: cells unchanged" "$list0" "$(warden cell list --json | sed 's/"heartbeat":[0-9]*/"heartbeat":X/g; s/"exits":[0-9]*/"exits":X/g; s/"console_head":[0-9]*/"console_head":X/g')"
	expect_eq "$what: pool unchanged" "$pool0" "$(field "$(warden status --json)" used_pages)"
}
list0=$(echo "$list0" | sed 's/"heartbeat":[0-9]*/"heartbeat":X/g; s/"exits":[0-9]*/"exits":X/g; s/"console_head":[0-9]*/"console_head":X/g')

variant cpu0 's/^cpus: \[3\]/cpus: [0]/; s/0x7100_0000/0x7200_0000/'
refused "CPU 0" 'CPU 0' warden cell create /tmp/cpu0.yaml
variant taken 's/0x7100_0000/0x7200_0000/'
refused "CPU already in a cell" 'CPU.*(another cell|hello)' warden cell create /tmp/taken.yaml
variant overlap 's/^cpus: \[3\]/cpus: [2]/; s/0x7100_0000/0x7108_0000/'
refused "memory of another cell" 'overlaps' warden cell create /tmp/overlap.yaml
# RAM Linux runs in (below mem=768M): refused before anything moves (by the
# rules here; the module checks it too, for blobs that skip them).
variant linuxram 's/^cpus: \[3\]/cpus: [2]/; s/0x7100_0000/0x6000_0000/'
refused "RAM Linux uses" 'Linux uses' warden cell create /tmp/linuxram.yaml
# An image that does not fit: the description check catches it at create...
variant small 's/^cpus: \[3\]/cpus: [2]/; s/0x7100_0000/0x7200_0000/; s/size: 1M/size: 4K/'
refused "image too large (description)" 'does not fit region' warden cell create /tmp/small.yaml
# ... and load catches an image given on the command line.
# (load finds the description by the cell's name in the drop-in directories)
mkdir -p /run/cells.d
sed '/^image:/d' /tmp/small.yaml > /run/cells.d/small.yaml
warden cell create small
online0=$(cat /sys/devices/system/cpu/online)
pool0=$(field "$(warden status --json)" used_pages)
list0=$(warden cell list --json | sed 's/"heartbeat":[0-9]*/"heartbeat":X/g; s/"exits":[0-9]*/"exits":X/g; s/"console_head":[0-9]*/"console_head":X/g')
refused "image too large (load)" 'fit|large|bytes' warden cell load small /usr/lib/warden/inmates/hello.bin
warden cell destroy small
expect_eq "CPU 2 back after destroying small" "0-2" "$(cat /sys/devices/system/cpu/online)"
pool0=$(field "$(warden status --json)" used_pages)
list0=$(warden cell list --json | sed 's/"heartbeat":[0-9]*/"heartbeat":X/g; s/"exits":[0-9]*/"exits":X/g; s/"console_head":[0-9]*/"console_head":X/g')
out=$(warden cell start nosuch 2>&1) && fail "unknown cell started"
expect_match "unknown cell" 'nosuch' "$out"
out=$(warden cell load hello 2>&1) && fail "loaded into a running cell"
echo "$out"
expect_match "load into a running cell" 'running' "$out"
out=$(warden disable 2>&1) && fail "disabled with a cell"
expect_match "disable with cells refused" 'cells exist' "$out"

warden cell shutdown hello
warden cell destroy hello
warden disable
dmesg_clean
