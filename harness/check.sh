#!/bin/bash
# check.sh: everything "make check" runs, stage by stage with times.  Keeps
# going after a failing stage so one run reports every problem.
set -uo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
start=$(date +%s)
failed=()
stage() {
	local name=$1
	shift
	"$here/stage.sh" "$name" "$@" || failed+=("$name")
}
stage "base" "$here/prepare-base.sh" "$top/out"
stage "series applies, overlay agrees" "$here/series.sh" check
stage "checkpatch" "$here/style.sh" checkpatch
stage "kernel (ours, debug)" "$here/kernels.sh" ours
stage "kernel (ours, plain)" "$here/kernels.sh" ours-plain
stage "kernel (upstream)" "$here/kernels.sh" upstream
stage "sparse and W=1" "$here/style.sh" sparse
stage "selftests" "$here/kernels.sh" tests
stage "runs" "$here/runs.sh" ours upstream
echo
echo "make check: $(( $(date +%s) - start ))s"
if [ ${#failed[@]} -gt 0 ]; then
	printf 'make check FAILED: %s\n' "${failed[@]}"
	exit 1
fi
echo "make check passed"
