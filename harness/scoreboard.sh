#!/bin/bash
# scoreboard.sh: the base's own 6.12 KVM selftests, built from the pristine
# tarball, run on our kernel and on upstream KVM under QEMU-SVM and
# Bochs-VMX; prints pass/fail/skip per test side by side.
#
# Tests run in groups of GROUP per boot so that a test that wedges the
# emulator costs only its group; the two kernels run side by side, one
# emulator each.  The plain kernels are used.
#   EMULATORS="qemu bochs"  KERNELS="ours upstream"  GROUP=10
set -uo pipefail
here=$(dirname "$(realpath "$0")")
top=$(dirname "$here")
out=$top/out
. "$here/base.conf"
base=$("$here/prepare-base.sh" "$out")
sb=$out/scoreboard
group=${GROUP:-10}
mkdir -p "$sb"

for k in ${KERNELS:-ours upstream}; do
	case $k in
	ours) "$here/stage.sh" "kernel (ours, plain)" "$here/kernels.sh" ours-plain || exit 1 ;;
	upstream) "$here/stage.sh" "kernel (upstream)" "$here/kernels.sh" upstream || exit 1 ;;
	esac
done

build_tests() {
	make -s -C "$base/pristine" O="$sb/hdr" headers >/dev/null &&
	make -s -C "$base/pristine/tools/testing/selftests/kvm" OUTPUT="$sb/tests" \
		KHDR_INCLUDES="-isystem $sb/hdr/usr/include" CC="gcc -static" \
		-j"$(nproc)" >/dev/null
}
export base sb
export -f build_tests
"$here/stage.sh" "upstream selftests" build_tests || exit 1
mapfile -t tests < <(cd "$sb/tests" && find . x86_64 -maxdepth 1 -type f -perm -u+x |
	sed 's|^\./||' | LC_ALL=C sort)

# One kernel's column(s), group after group.
run_kernel() {
	local k=$1 build emu backend i g initrd=$sb/initrd-$1.cpio
	case $k in
	ours) build=$out/build-ours-plain ;;
	upstream) build=$out/build-upstream-$BASE_VERSION ;;
	esac
	for emu in ${EMULATORS:-qemu bochs}; do
		backend=$([ $emu = qemu ] && echo svm || echo vmx)
		for ((i = 0; i < ${#tests[@]}; i += group)); do
			g=$((i / group))
			"$here/mkinitramfs.sh" "$initrd" "$build/mod" "$sb/tests" "${tests[@]:i:group}"
			# The upstream tests map gigabytes of guest memory.
			"$here/run-vm.py" --emulator $emu --backend $backend --quiet \
				--mem "$([ $emu = qemu ] && echo 4G || echo 2G)" \
				--name "scoreboard $emu-$backend $k group $g" --test-timeout 180 \
				--timeout $((group * 200 + 300)) --silence 300 \
				--kernel "$build/arch/x86/boot/bzImage" --initrd "$initrd" \
				--log "$sb/$emu-$k-$g.log" | sed -n 1p
		done
	done
}

# The kernels side by side: an emulator uses one core.
for k in ${KERNELS:-ours upstream}; do
	run_kernel "$k" &
done
wait

python3 - "$sb" "${tests[@]}" <<'PY'
import glob, os, re, sys
sys.path.insert(0, os.path.join(os.path.dirname(sys.argv[1]), "..", "harness"))
sb, tests = sys.argv[1], sys.argv[2:]
cols = [(e, k) for e in ("qemu", "bochs") for k in ("ours", "upstream")]
res = {}
for e, k in cols:
    for log in glob.glob(f"{sb}/{e}-{k}-*.log"):
        text = open(log, errors="replace").read()
        for line in text.splitlines():
            m = re.match(r"^(ok|not ok) \d+ selftests: kvm: (\S+)(?: # (.*))?", line)
            if m:
                st = "FAIL" if m.group(1) == "not ok" else (
                    "SKIP" if (m.group(3) or "").upper().startswith("SKIP") else "PASS")
                res[(e, k, m.group(2))] = st
hdr = f"{'test':40} " + " ".join(f"{e + '-' + k:>15}" for e, k in cols)
lines = [hdr]
tot = {c: {"PASS": 0, "FAIL": 0, "SKIP": 0, "LOST": 0} for c in cols}
for t in tests:
    row = []
    for c in cols:
        st = res.get((c[0], c[1], t), "LOST")
        tot[c][st] += 1
        row.append(f"{st:>15}")
    lines.append(f"{t:40} " + " ".join(row))
lines.append("")
for c in cols:
    d = tot[c]
    lines.append(f"{c[0]}-{c[1]}: {d['PASS']} pass, {d['FAIL']} fail, {d['SKIP']} skip, "
                 f"{d['LOST']} lost (wedged or timed out)")
text = "\n".join(lines)
open(f"{sb}/summary.txt", "w").write(text + "\n")
print(text)
PY
