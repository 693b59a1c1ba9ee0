# image: initramfs
# args: --no-el2
# On a machine without EL2 the module refuses to load and says why.
expect_fail "modprobe without EL2" modprobe warden
expect_match "log names the cause" 'no EL2' "$(dmesg | grep warden:)"
expect_fail "module not left behind" grep -q '^warden ' /proc/modules
dmesg_clean
