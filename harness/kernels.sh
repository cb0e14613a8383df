#!/bin/bash
# kernels.sh ours|ours-plain|upstream|tests
#   ours      stripped base + overlay (out/src), test + debug config
#             (KASAN, lockdep, kmemleak...), built incrementally in
#             out/build-ours; make check runs it in both emulators
#   ours-plain the same tree with the test config only, in
#             out/build-ours-plain, for benchmarks and the scoreboard
#             (debug checks would distort both)
#   upstream  the pristine base with its own KVM, test config, in
#             out/build-upstream-VERSION (kept across runs: the oracle only
#             changes with the base)
#   tests     our selftests as static binaries in out/tests
#   inner     the inner guest (harness/inner) in out/inner/bzImage: the
#             Linux that linux_boot_test and the QEMU client boot on the
#             kernel under test
set -euo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
. "$here/base.conf"
base=$("$here/prepare-base.sh" "$out")
cfg=$here/config
case "${1:-}" in
ours)
	src=$("$here/series.sh" srctree)
	"$here/build-kernel.sh" "$src" "$out/build-ours" "$cfg/test.config" "$cfg/debug.config"
	;;
ours-plain)
	src=$("$here/series.sh" srctree)
	"$here/build-kernel.sh" "$src" "$out/build-ours-plain" "$cfg/test.config"
	;;
upstream)
	"$here/build-kernel.sh" "$base/pristine" "$out/build-upstream-$BASE_VERSION" "$cfg/test.config"
	;;
tests)
	src=$("$here/series.sh" srctree)
	"$here/build-tests.sh" "$src" "$out/tests"
	;;
inner)
	"$here/build-inner.sh" "$base/pristine" "$out/inner"
	;;
*)
	echo "usage: kernels.sh ours|ours-plain|upstream|tests|inner" >&2
	exit 1
	;;
esac
