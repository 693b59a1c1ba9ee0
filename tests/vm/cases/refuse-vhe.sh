# image: initramfs
# args: --cpu=max,pauth-impdef=on
# With VHE the kernel itself runs at EL2: the module refuses and says why.
expect_match "kernel runs at EL2" 'EL2' "$(dmesg | grep -i 'started at')"
expect_fail "modprobe under a VHE kernel" modprobe warden
expect_match "log names the cause" 'runs at EL2 \(VHE\)' "$(dmesg | grep warden:)"
dmesg_clean
