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
