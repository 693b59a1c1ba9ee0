#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Recipe of the VM rig's systemd image: a Debian 12 (bookworm) arm64 root
# filesystem made with mmdebstrap, as an ext4 image (see docs/testing.md).
#
#   rootfs.sh key   KERNEL_DIR KREL      print what, besides this file, the image depends on
#   rootfs.sh build KERNEL_DIR KREL OUT  write OUT (ext4) and OUT.packages (name version)
#
# build needs root (mmdebstrap --mode=root, mke2fs -d keeping owners) and
# qemu-user through binfmt_misc for arm64 (scripts/deps sets that up).
# The Debian mirror comes from this host's apt configuration: the Debian
# entries `apt-cache policy` lists for arm64, plus apt's Check-Valid-Until,
# Check-Date and proxy settings. No mirror is named here.
# The image holds no project files and no project units: each run's overlay
# brings them (a unit in /etc/systemd/system would override the project's).
#
# A recipe that builds on this one (pkgroot.sh) defines extra_packages
# KERNEL_DIR KREL (more package names) and extra_key (more key lines), sets
# prog, then sources this file with its own arguments.
set -euo pipefail
umask 022

SUITE=bookworm
PACKAGES=(systemd systemd-sysv dbus udev kmod libyaml-0-2 libjansson4
	libnl-3-200 libnl-genl-3-200 libsystemd0 libfdt1 procps)
# Units that only slow a throw-away test machine down.
MASK=(apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer
	e2scrub_all.timer e2scrub_reap.service fstrim.timer systemd-timesyncd.service
	modprobe@drm.service modprobe@dm_mod.service modprobe@efi_pstore.service
	modprobe@loop.service)
HEADROOM_MB=512
prog=${prog:-rootfs.sh}

say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }

# Candidate versions of the packages, from the host's apt lists (arm64 is a
# foreign architecture there; scripts/deps adds it). A new point release of any
# of them gives a new key, hence a new image. apt-cache takes 0.8 s when apt
# keeps no pkgcache.bin, so the answer is kept in $WARDEN_CACHE/images/ for as
# long as apt's lists and sources are unchanged.
candidates() { # PACKAGE...
	apt-cache policy "${@/%/:arm64}" 2>/dev/null |
		awk '/^[^ ]/ { p = $1 } /Candidate:/ { print p, $2 }'
}

# This image's packages: PACKAGES and a derived recipe's extra_packages.
all_packages() { # KERNEL_DIR KREL
	echo "${PACKAGES[*]}"
	if declare -F extra_packages >/dev/null; then extra_packages "$1" "$2"; fi
}

key() {
	local kdir=$1 krel=$2 stamp memo
	local -a pkgs
	read -r -d '' -a pkgs < <(all_packages "$kdir" "$krel") || true
	echo "kernel=$(cat "$kdir/version") krel=$krel suite=$SUITE"
	if declare -F extra_key >/dev/null; then extra_key; fi
	memo=${WARDEN_CACHE:+$WARDEN_CACHE/images/.${prog%.sh}-candidates}
	stamp=$({ stat -c '%n %s %Y' /var/lib/apt/lists/* /etc/apt/sources.list* \
		/etc/apt/sources.list.d/* /etc/apt/preferences* 2>/dev/null; echo "${pkgs[*]}"; } | sha256sum)
	if [ -n "$memo" ] && [ -f "$memo" ] && [ "$(head -n 1 "$memo")" = "$stamp" ]; then
		tail -n +2 "$memo"
		return
	fi
	candidates "${pkgs[@]}" | tee >(
		if [ -n "$memo" ] && mkdir -p "${memo%/*}" 2>/dev/null; then
			{ echo "$stamp"; cat; } >"$memo.$$" && mv -f "$memo.$$" "$memo"
		else
			cat >/dev/null
		fi)
}

# "deb [arch=arm64] URI SUITE COMPONENT" for every Debian arm64 index apt knows.
host_sources() {
	apt-cache policy | awk '
		$1 ~ /^[0-9]+$/ && $2 ~ /:\/\// { uri = $2; split($3, sc, "/"); arch = $4; next }
		/^ +release / && uri != "" {
			if (arch == "arm64" && $2 ~ /(^|,)o=Debian(,|$)/ && sc[1] ~ /^'"$SUITE"'/)
				print "deb [arch=arm64] " uri " " sc[1] " " sc[2]
			uri = ""
		}' | sort -u
}

host_aptopts() {
	apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy)' || true
}

customize() { # ROOT KERNEL_DIR KREL
	local root=$1 kdir=$2 krel=$3 unit mods
	echo warden >"$root/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\twarden\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
		>"$root/etc/hosts"
	# Root logs in on the console without a password (a throw-away test machine).
	sed -i 's/^root:[^:]*:/root::/' "$root/etc/shadow"
	# A fixed machine ID: no first-boot work (presets, firstboot) on each boot.
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"
	echo >>"$root/etc/machine-id"
	for unit in "${MASK[@]}"; do
		ln -sfn /dev/null "$root/etc/systemd/system/$unit"
	done
	rm -f "$root/etc/systemd/system/getty.target.wants/getty@tty1.service"
	ln -sfn /lib/systemd/system/multi-user.target "$root/etc/systemd/system/default.target"
	mkdir -p "$root/etc/systemd/journald.conf.d"
	printf '[Journal]\nStorage=volatile\n' >"$root/etc/systemd/journald.conf.d/warden-vm.conf"
	# The Debian kernel's modules, as its package would install them.
	mods=$root/usr/lib/modules/$krel
	mkdir -p "$mods"
	cp -a "$(readlink -f "$kdir/modules")/kernel" "$mods/"
	cp "$kdir/modules/modules.builtin" "$kdir/modules/modules.builtin.modinfo" \
		"$kdir/modules/modules.order" "$mods/"
	depmod -b "$root" "$krel" || die "depmod -b $root $krel failed"
	rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
	# Up to date: no ConditionNeedsUpdate= work (ldconfig, hwdb) at boot.
	touch -r "$root/usr" "$root/etc/.updated" "$root/var/.updated"
}

build() {
	local kdir=$1 krel=$2 out=$3 tmp root used size
	local -a sources aptopts args pkgs
	[ "$(id -u)" -eq 0 ] || die "building the rootfs needs root (mmdebstrap, mke2fs -d)"
	[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] ||
		die "qemu-aarch64 is not registered in binfmt_misc: run scripts/deps"
	[ -e "$kdir/modules/modules.builtin" ] || die "missing $kdir/modules: run scripts/deps"
	mapfile -t sources < <(host_sources)
	[ ${#sources[@]} -gt 0 ] ||
		die "apt knows no Debian $SUITE arm64 index: run 'dpkg --add-architecture arm64 && apt-get update' (scripts/deps does)"
	mapfile -t aptopts < <(host_aptopts)
	read -r -d '' -a pkgs < <(all_packages "$kdir" "$krel") || true

	tmp=$(mktemp -d "$(dirname "$out")/.rootfs-build.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	root=$tmp/root

	args=(--arch=arm64 --variant=minbase --mode=root --format=directory
		--include="$(IFS=,; echo "${pkgs[*]}")"
		--aptopt='APT::Install-Recommends "false"'
		--aptopt='APT::Sandbox::User "root"' # the cache may sit in a 0700 home
		--dpkgopt='path-exclude=/usr/share/man/*'
		--dpkgopt='path-exclude=/usr/share/locale/*'
		--dpkgopt='path-exclude=/usr/share/doc/*'
		--dpkgopt='path-include=/usr/share/doc/*/copyright')
	for o in "${aptopts[@]}"; do args+=(--aptopt="$o"); done
	say "mmdebstrap $SUITE arm64 (${#sources[@]} apt sources from this host)"
	mmdebstrap "${args[@]}" "$SUITE" "$root" "${sources[@]}" ||
		die "mmdebstrap failed (see its messages above)"

	say "customizing (hostname, console login, masked units, kernel modules)"
	customize "$root" "$kdir" "$krel"
	dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package} ${Version}\n' >"$out.packages" ||
		die "cannot list the packages of $root"

	used=$(du -sm "$root" | cut -f1)
	size=$((used * 13 / 10 + HEADROOM_MB))
	say "mke2fs: ext4 of ${size} MiB (${used} MiB used)"
	rm -f "$out"
	mke2fs -q -t ext4 -L warden-root -m 0 -d "$root" "$out" "${size}M" >/dev/null ||
		die "mke2fs -d $root $out failed"
}

case "${1:-}" in
key) [ $# -eq 3 ] || die "usage: $prog key KERNEL_DIR KREL"; key "$2" "$3" ;;
build) [ $# -eq 4 ] || die "usage: $prog build KERNEL_DIR KREL OUT"; build "$2" "$3" "$4" ;;
*) die "usage: $prog key|build KERNEL_DIR KREL [OUT]" ;;
esac
