#!/bin/bash
# build-tests.sh SRC OUT
# Build our selftests from tools/testing/selftests/kvm of SRC as static
# binaries into OUT, against SRC's exported uapi headers.
set -euo pipefail
src=$(realpath "$1"); out=$(realpath -m "$2")
mkdir -p "$out/hdr"
make -s -C "$src" O="$out/hdr" headers >/dev/null
make -s -C "$src/tools/testing/selftests/kvm" OUTPUT="$out" \
	KHDR_INCLUDES="-isystem $out/hdr/usr/include" LDFLAGS=-static -j"$(nproc)"
