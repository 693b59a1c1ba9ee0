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
