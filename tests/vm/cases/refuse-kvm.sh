# image: initramfs
# args: --kernel-arg=kvm-arm.mode=nvhe
# With KVM holding EL2 (the command line's later kvm-arm.mode wins) the module
# refuses and tells how to boot.
expect_match "KVM took EL2" 'kvm.*(Hyp mode initialized|initialized successfully|nVHE)' "$(dmesg | grep -i kvm)"
expect_fail "modprobe with KVM at EL2" modprobe warden
expect_match "log names the cause" 'owned by KVM.*kvm-arm.mode=none' "$(dmesg | grep warden:)"
dmesg_clean
