#!/bin/bash
# build-kernel.sh SRC OUT FRAGMENT...
# Configure (tinyconfig + fragments) and build bzImage and modules of the
# kernel in SRC into OUT, incrementally.  The configuration is regenerated
# only when a fragment changes, so an untouched tree rebuilds in seconds.
set -euo pipefail
src=$(realpath "$1"); out=$(realpath -m "$2"); shift 2
mkdir -p "$out"
jobs=${JOBS:-$(nproc)}
cc="gcc"
command -v ccache >/dev/null && cc="ccache gcc"
export CCACHE_DIR=${CCACHE_DIR:-$(dirname "$out")/ccache}
export KBUILD_BUILD_TIMESTAMP="2024-01-01" KBUILD_BUILD_USER=kvm KBUILD_BUILD_HOST=harness

stamp=$(cat "$@" | sha256sum | cut -c1-16)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.config.stamp" 2>/dev/null)" != "$stamp" ]; then
	make -s -C "$src" O="$out" CC="$cc" tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$@" >/dev/null
	make -s -C "$src" O="$out" CC="$cc" olddefconfig >/dev/null
	# Every fragment line must have survived olddefconfig (a later fragment
	# overrides an earlier one), or the kernel under test is not the one
	# we asked for.
	declare -A want=()
	while read -r line; do
		case "$line" in
		"# CONFIG_"*" is not set") sym=${line#\# }; want[${sym%% *}]=n ;;
		CONFIG_*=*) want[${line%%=*}]=${line#*=} ;;
		esac
	done < <(cat "$@")
	for sym in "${!want[@]}"; do
		v=${want[$sym]}
		if [ "$v" = n ]; then
			! grep -q "^$sym=" "$out/.config" || { echo "config: $sym is set, wanted unset" >&2; exit 1; }
		else
			grep -qx "$sym=$v" "$out/.config" || { echo "config: $sym=$v did not stick" >&2; exit 1; }
		fi
	done
	echo "$stamp" > "$out/.config.stamp"
fi
make -s -C "$src" O="$out" CC="$cc" -j"$jobs" bzImage modules
rm -rf "$out/mod"
if grep -q '^CONFIG_MODULES=y' "$out/.config"; then
	make -s -C "$src" O="$out" CC="$cc" INSTALL_MOD_PATH="$out/mod" modules_install >/dev/null
fi
