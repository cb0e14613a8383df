#!/bin/bash
# build-tests.sh SRC OUT
# Build our selftests from tools/testing/selftests/kvm of SRC as static
# binaries into OUT, against SRC's exported uapi headers.  Binaries of
# tests the Makefile no longer builds (renamed or removed) are deleted:
# the runs take every executable in OUT, and a clean clone has none.
set -euo pipefail
src=$(realpath "$1"); out=$(realpath -m "$2")
mkdir -p "$out/hdr"
make -s -C "$src" O="$out/hdr" headers >/dev/null
make -s -C "$src/tools/testing/selftests/kvm" OUTPUT="$out" \
	KHDR_INCLUDES="-isystem $out/hdr/usr/include" LDFLAGS=-static -j"$(nproc)"
keep=" $(make -s -C "$src/tools/testing/selftests/kvm" OUTPUT="$out" \
	KHDR_INCLUDES="-isystem $out/hdr/usr/include" \
	--eval='print-tests: ; @echo $(TEST_GEN_PROGS)' print-tests) "
for f in "$out"/*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	case "$keep" in
	*" $f "*) ;;
	*) echo "build-tests: removing $f (no such test any more)"; rm -f "$f" ;;
	esac
done
