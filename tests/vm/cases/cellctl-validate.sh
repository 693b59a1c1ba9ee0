# image: initramfs
# The installed cellctl validates the installed descriptions offline (no
# daemon, no module), and a bad drop-in file is reported with its location
# while the exit status says invalid.
out=$(cellctl validate 2>&1)
echo "$out"
expect_match "installed system description valid" '1 description valid' "$out"

mkdir -p /run/cells.d
printf 'cell: bad\ncpus: [0]\nmemory:\n  - name: ram\n    host: 0x7100_0000\n    size: 1M\n    access: [read, execute]\nentry: 0x7100_0000\n' >/run/cells.d/bad.yaml
rc=0
out=$(cellctl validate 2>&1) || rc=$?
echo "$out"
expect_eq "exit status for an invalid set" 1 "$rc"
expect_match "located diagnostic" '^/run/cells.d/bad.yaml:2:7: error\[cpu\]: CPU 0 cannot be given away' "$out"

ln -s /dev/null /etc/cells.d/bad.yaml
expect_match "masked by /etc" '1 description valid' "$(cellctl validate 2>&1)"

# A cell that boots an OS, with an Image header written here (no kernel in
# this image): the arm64 cellctl, linked with libfdt, places it and prints
# its device tree.
mkdir -p /tmp/os
{ head -c 16 /dev/zero; printf '\000\000\001\002\000\000\000\000\012'; head -c 31 /dev/zero; printf 'ARMd'; head -c 4096 /dev/zero; } >/tmp/os/Image
printf 'cell: linux\ncpus: [2, 3]\nmemory:\n  - name: ram\n    host: 0x7800_0000\n    size: 128M\n    access: [read, write, execute, loadable]\nirqs: [96]\nos:\n  kernel: /tmp/os/Image\n  command-line: console=ttyAMA0\n  uart: {irq: 96}\n' >/run/cells.d/linux.yaml
out=$(cellctl validate 2>&1)
echo "$out"
expect_match "a cell that boots an OS is valid" '2 descriptions valid' "$out"
out=$(cellctl show linux 2>&1)
expect_match "show writes the device tree's default address" '^    address: 0x7a200000$' "$out"
out=$(cellctl show --dts linux 2>&1)
echo "$out" | head -30
expect_match "its CPUs" '^		cpu@3 {$' "$out"
expect_match "its redistributors only" 'reg = <0x0 0x8000000 0x0 0x10000 0x0 0x80e0000 0x0 0x40000>;' "$out"
expect_match "its command line" 'bootargs = "console=ttyAMA0";' "$out"
printf 'not an image' >/tmp/os/Image
rc=0
out=$(cellctl validate 2>&1) || rc=$?
echo "$out"
expect_eq "exit status for a kernel that is not an Image" 1 "$rc"
expect_match "located, naming the file" '^/run/cells.d/linux.yaml:10:11: error\[os-kernel\]: kernel /tmp/os/Image is not an arm64 Linux Image' "$out"
