#!/bin/bash
# deps.sh [PACKAGE...]
# Install the Debian 12 packages the harness needs (or just the ones named),
# skipping what is already there.  Uses apt-get as root, sudo otherwise.
set -euo pipefail
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
	pkgs=(linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
	      cpio xz-utils kmod rsync ccache quilt git python3 sparse
	      qemu-system-x86 bochs bochsbios vgabios isolinux syslinux-common
	      genisoimage busybox-static)
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
