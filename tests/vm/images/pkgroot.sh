#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Recipe of the VM rig's packages image: the systemd image (rootfs.sh) and
# what installing Warden's Debian packages needs on a target that builds its
# modules: DKMS, a compiler, make and the headers of the kernel the machine
# boots (see docs/testing.md, docs/packaging.md). Like the systemd image it
# holds no project files; the packages come with each run's overlay.
#
#   pkgroot.sh key   KERNEL_DIR KREL
#   pkgroot.sh build KERNEL_DIR KREL OUT
set -euo pipefail

# linux-headers-KREL brings gcc-12 and linux-kbuild; dkms wants "gcc" and make
# (its Recommends, such as the headers metapackage, are not installed).
# warden-demos depends on cpio and kmod (linux-demo's kernel hook): the
# machine has no archive to fetch them from, as a Debian system would.
extra_packages() { # KERNEL_DIR KREL
	echo dkms gcc make cpio kmod "linux-headers-$2"
}

# The image is rootfs.sh's too: its text is part of this key.
extra_key() {
	echo "rootfs.sh=$(sha256sum <"$here/rootfs.sh" | cut -c1-16)"
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # read by rootfs.sh
prog=pkgroot.sh
# shellcheck source=SCRIPTDIR/rootfs.sh
. "$here/rootfs.sh"
