# image: initramfs
# A corrupted or truncated hypervisor image is refused with the reason.
fw=/lib/firmware/warden-arm64.bin
cp "$fw" /tmp/good.bin

printf 'XXXXXXXX' | dd of="$fw" conv=notrunc 2>/dev/null
expect_fail "modprobe with bad magic" modprobe warden
expect_match "bad magic named" 'bad magic' "$(dmesg | grep warden:)"

head -c 100 /tmp/good.bin >"$fw"
expect_fail "modprobe with truncated image" modprobe warden
expect_match "truncation named" 'shorter than the image header' "$(dmesg | grep warden:)"

cp /tmp/good.bin "$fw"
head -c 1 /dev/zero >>"$fw"
expect_fail "modprobe with trailing garbage" modprobe warden
expect_match "size mismatch named" 'image_size does not match' "$(dmesg | grep warden:)"

cp /tmp/good.bin "$fw"
modprobe warden
expect_match "good image loads after refusals" 'version [0-9.]+ loaded' "$(dmesg | grep warden:)"
rmmod warden
dmesg_clean
