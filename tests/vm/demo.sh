# SPDX-License-Identifier: GPL-2.0-only
# What `make demo` shows inside the emulated machine: every layer answering.
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "The stock Debian kernel, booted at EL2 (nVHE)"
uname -r
dmesg | grep -E 'started at EL2' || true

step "celld.service: loads warden.ko, owns org.warden.cell1"
systemctl start celld
systemctl status celld --no-pager --lines=0 || true

step "warden status: the module answers over generic netlink"
warden status
warden status --json

step "cellctl status: celld answers over D-Bus"
cellctl status

step "busctl: the Manager object"
busctl introspect org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager
busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState

step "journalctl -u celld"
journalctl -u celld --no-pager -o short-monotonic | tail -n 5

step "The system description celld reads"
cat /etc/cells.d/system.yaml

step "warden enable: the hypervisor takes EL2 under the running kernel"
warden status --json | grep -q '"state":"enabled"' && echo "(celld enabled it already)" ||
	warden enable /etc/cells.d/system.yaml
warden status
busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState

step "Root runs under stage 2: its RAM works, the hypervisor's memory does not map"
dd if=/dev/mem bs=4096 skip=$((0x70000)) count=1 status=none 2>&1 | head -c 64 ||
	echo "(refused, as it should be)"
echo 0 > /sys/devices/system/cpu/cpu1/online && echo 1 > /sys/devices/system/cpu/cpu1/online &&
	echo "CPU 1 went offline and came back under the hypervisor"

step "Cells: gic-demo on CPU 3 (a 10 Hz timer interrupt through the virtual GIC), hello on CPU 2"
mkdir -p /run/demo
sed -e 's/^cpus: \[3\]/cpus: [2]/' /usr/share/warden/cells.d/hello.yaml > /run/demo/hello.yaml
warden cell run /run/demo/hello.yaml
warden cell run /usr/share/warden/cells.d/gic-demo.yaml
sleep 3
warden cell list
cat /sys/devices/system/cpu/online
warden cell console hello | tail -n 3
warden cell console gic-demo | tail -n 3

step "A cell that misbehaves fails alone: crash-demo on CPU 1 reads root's memory"
sed -e 's/^cpus: \[2\]/cpus: [1]/' -e 's/0x7110_0000/0x71c0_0000/' \
	/usr/share/warden/cells.d/crash-demo.yaml > /run/crash-demo.yaml
warden cell run /run/crash-demo.yaml
sleep 4.5
warden cell list
warden cell console crash-demo | tail -n 2

step "Cells go, their CPUs come back to Linux: the running ones are asked, and approve"
for c in gic-demo hello; do warden cell shutdown $c; done
for c in crash-demo gic-demo hello; do warden cell destroy $c; done
cat /sys/devices/system/cpu/online

step "warden console: the hypervisor's own log"
warden console | tail -n 15

step "warden disable: everything back to Linux"
warden disable
warden status | head -n 5

step "linux-demo: the Debian kernel root runs, booted in a cell on CPUs 1-2 by celld"
cp /usr/share/warden/cells.d/linux-demo.yaml /etc/cells.d/
systemctl reload celld	# celld reads the new description
grep -E '^(cpus|  kernel|  initramfs|  command-line|  uart|  power-button):' /etc/cells.d/linux-demo.yaml
systemctl start cell@linux-demo
i=0
while ! journalctl -u cell@linux-demo --no-pager -o cat | grep -q '^linux-demo: Linux' && [ $i -lt 1200 ]; do
	sleep 0.1; i=$((i + 1))
done
journalctl -u cell@linux-demo --no-pager -o cat |
	grep -E 'Started cell|Booting Linux|Linux version|bootconsole|console \[ttyAMA0\]|smp: Brought|Run /init|^linux-demo:'
echo "CPUs online in root: $(cat /sys/devices/system/cpu/online)"
(sleep 2; printf 'uname -a; nproc; sleep 100 &\n'; sleep 1; printf 'jobs\n'; sleep 3) |
	cellctl console -i linux-demo 2>/dev/null | tail -n 6
echo
echo "linux-demo keeps running on CPUs 1-2; this shell is root's."
echo "  its console:   cellctl console linux-demo     (leave with ^] three times within 1 s)"
echo "  its log:       journalctl -u cell@linux-demo"
echo "  power it off:  poweroff in its shell, or systemctl stop cell@linux-demo (which"
echo "                 presses its power button: its acpid powers it off)"
