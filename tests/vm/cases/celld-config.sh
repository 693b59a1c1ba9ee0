# image: systemd
# celld checks the drop-in descriptions at start: an invalid file is reported
# in the journal with CONFIG_FILE/LINE/COLUMN, also under the cell's own unit,
# and celld starts all the same. Reload checks them again.
printf 'cell: bad\ncpus: [0]\nmemory:\n  - name: ram\n    host: 0x7100_0000\n    size: 1M\n    access: [read, execute]\nentry: 0x7100_0000\n' >/etc/cells.d/bad.yaml
systemctl start celld
expect_eq "celld active despite an invalid file" active "$(systemctl is-active celld)"

fields=$(journalctl -u celld -o verbose --no-pager CONFIG_FILE=/etc/cells.d/bad.yaml)
echo "$fields" | grep -E 'MESSAGE=|CONFIG_' || true
expect_match "located message" 'MESSAGE=/etc/cells.d/bad.yaml:2:7: error\[cpu\]: CPU 0 cannot be given away' "$fields"
expect_match "CONFIG_LINE" 'CONFIG_LINE=2' "$fields"
expect_match "CONFIG_COLUMN" 'CONFIG_COLUMN=7' "$fields"
expect_match "shown under the cell's unit" 'CPU 0 cannot be given away' \
	"$(journalctl -u cell@bad --no-pager -o cat)"
expect_match "summary" 'Descriptions: 1 of 2 valid, 1 errors' "$(journalctl -u celld --no-pager -o cat)"

# The catalog explains the entry (a package runs --update-catalog on install).
journalctl --update-catalog
expect_match "journalctl -x explains it" 'celld leaves the file out' \
	"$(journalctl -x -u celld --no-pager CONFIG_FILE=/etc/cells.d/bad.yaml)"

rm /etc/cells.d/bad.yaml
systemctl reload celld
expect_match "reload checks again" 'Descriptions: 1 of 1 valid, 0 errors' \
	"$(journalctl -u celld --no-pager -o cat | tail -n 3)"
systemctl stop celld
