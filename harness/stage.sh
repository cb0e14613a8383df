#!/bin/bash
# stage.sh NAME COMMAND...: run one stage of a make target and print its time.
name=$1; shift
start=$(date +%s)
echo "=== $name" >&2
"$@"
rc=$?
echo "=== $name: $([ $rc = 0 ] && echo ok || echo FAILED) in $(( $(date +%s) - start ))s" >&2
exit $rc
