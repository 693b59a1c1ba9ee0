# image: initramfs
# Without the hypervisor image the module refuses and names the file.
rm -f /lib/firmware/warden-arm64.bin
expect_fail "modprobe without firmware" modprobe warden
expect_match "log names the image" 'warden-arm64.bin not found' "$(dmesg | grep warden:)"
dmesg_clean
