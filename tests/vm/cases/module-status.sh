# image: initramfs
# The module loads on the stock kernel, answers GET through generic netlink
# (via `warden status`), and unloads cleanly.
modprobe warden
expect_match "module registered" '^warden ' "$(cat /proc/modules)"
expect_match "module announces itself" 'version [0-9.]+ loaded' "$(dmesg | grep warden:)"
expect_match "image ran at EL2 on every CPU and gave EL2 back" \
	'answered at EL2 on 4 CPUs and gave EL2 back' "$(dmesg | grep warden:)"

out=$(warden status)
echo "$out"
expect_match "human status names the state" 'disabled' "$out"

json=$(warden status --json)
echo "$json"
expect_match "json state" '"state": ?"disabled"' "$json"
expect_match "json module_version" '"module_version": ?"[0-9]+\.[0-9]+\.[0-9]+"' "$json"
expect_match "json hypervisor_version" '"hypervisor_version": ?"[0-9]+\.[0-9]+\.[0-9]+"' "$json"
expect_match "json cpus_online" '"cpus_online": ?4' "$json"

rmmod warden
expect_fail "module gone after rmmod" grep -q '^warden ' /proc/modules
# (warden status would load it again: tests/vm/cases/module-autoload.sh)
dmesg_clean
