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
warden enable /etc/cells.d/system.yaml
warden status
busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState

step "Root runs under stage 2: its RAM works, the hypervisor's memory does not map"
dd if=/dev/mem bs=4096 skip=$((0x70000)) count=1 status=none 2>&1 | head -c 64 ||
	echo "(refused, as it should be)"
echo 0 > /sys/devices/system/cpu/cpu1/online && echo 1 > /sys/devices/system/cpu/cpu1/online &&
	echo "CPU 1 went offline and came back under the hypervisor"

step "warden console: the hypervisor's own log"
warden console

step "warden disable: everything back to Linux"
warden disable
warden status | head -n 5
