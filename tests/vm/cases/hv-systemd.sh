# image: systemd
# The hypervisor enables and disables under a full Debian system with
# systemd, D-Bus and celld running, on 2 CPUs; celld follows the state.
# celld is told not to enable the hypervisor itself (docs/celld.md).
mkdir -p /etc/warden
printf '[Manager]\nEnableHypervisor=no\n' >/etc/warden/celld.conf
systemctl start celld
prop() { busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState; }
expect_eq "celld sees disabled" 's "disabled"' "$(prop)"

warden enable /usr/share/warden/cells.d/system.yaml
expect_match "enabled on both CPUs" '"cpus_enabled":\[0,1\]' "$(warden status --json)"
# celld learns it from the module's multicast event, without polling.
i=0
while [ "$(prop)" != 's "enabled"' ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "celld sees enabled" 's "enabled"' "$(prop)"

# The whole system keeps working under stage 2: services, D-Bus, hotplug.
systemctl restart systemd-journald
expect_eq "journald restarted" active "$(systemctl is-active systemd-journald)"
echo 0 > /sys/devices/system/cpu/cpu1/online
echo 1 > /sys/devices/system/cpu/cpu1/online
expect_match "CPU 1 back under the hypervisor" '"cpus_enabled":\[0,1\]' "$(warden status --json)"
expect_eq "celld still active" active "$(systemctl is-active celld)"

warden disable
i=0
while [ "$(prop)" != 's "disabled"' ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "celld sees disabled again" 's "disabled"' "$(prop)"
systemctl stop celld
dmesg_clean
