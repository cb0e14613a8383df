#!/bin/bash
# check.sh: everything "make check" runs, stage by stage with times.  Keeps
# going after a failing stage so one run reports every problem.
#
# The emulators use one core each, so the runs on our kernel go on in the
# background while the upstream kernel builds.
set -uo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
start=$(date +%s)
failed=()
stage() {
	local name=$1
	shift
	"$here/stage.sh" "$name" "$@" || failed+=("$name")
}
stage "base" "$here/prepare-base.sh" "$out"
stage "series applies, overlay agrees" "$here/series.sh" check
stage "checkpatch" "$here/style.sh" checkpatch
stage "kernel (ours, debug)" "$here/kernels.sh" ours
stage "sparse and W=1" "$here/style.sh" sparse
stage "selftests" "$here/kernels.sh" tests
stage "inner guest" "$here/kernels.sh" inner

mkdir -p "$out/runs"
"$here/runs.sh" ours qemu bochs bochs-skx > "$out/runs/ours.txt" 2>&1 &
ours_runs=$!
stage "kernel (upstream)" "$here/kernels.sh" upstream
"$here/runs.sh" upstream qemu > "$out/runs/upstream-qemu.txt" 2>&1 &
up_qemu=$!
"$here/runs.sh" upstream bochs bochs-skx > "$out/runs/upstream-bochs.txt" 2>&1 || failed+=("runs (upstream, bochs)")
wait $up_qemu || failed+=("runs (upstream, qemu)")
wait $ours_runs || failed+=("runs (ours)")
cat "$out/runs/ours.txt" "$out/runs/upstream-qemu.txt" "$out/runs/upstream-bochs.txt"

echo
echo "make check: $(( $(date +%s) - start ))s"
if [ ${#failed[@]} -gt 0 ]; then
	printf 'make check FAILED: %s\n' "${failed[@]}"
	exit 1
fi
echo "make check passed"
