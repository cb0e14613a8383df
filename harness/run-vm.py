#!/usr/bin/env python3
"""Boot a kernel + initramfs in an emulator and judge the serial log.

  run-vm.py --emulator qemu|bochs --kernel BZIMAGE --initrd INITRD
            --backend svm|vmx --log LOG [--timeout S] [--silence S]

QEMU runs TCG with SVM and NPT; Bochs boots an isolinux ISO with a VMX
CPU.  The run fails when the emulator overruns --timeout, when the serial
log stays silent for --silence seconds (the guest prints a heartbeat), when
the guest never reports "HARNESS: done", when the kernel log has a splat,
or when a test fails.  Prints a one-line verdict and the KTAP results.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CMDLINE = "console=ttyS0,115200 panic=-1 oops=panic loglevel=6"


def qemu_cmd(a, log):
    append = f"{CMDLINE} harness.backend={a.backend} harness.timeout={a.test_timeout} {a.append}"
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", a.qemu_cpu,
           "-smp", str(a.smp), "-m", a.mem, "-nographic", "-no-reboot",
           "-display", "none", "-monitor", "none", "-nic", "none",
           "-serial", f"file:{log}",
           "-kernel", a.kernel, "-initrd", a.initrd, "-append", append]
    if a.icount:
        cmd += ["-icount", "shift=0"]
    return cmd, None


def bochs_cmd(a, log, work):
    iso_root = os.path.join(work, "iso")
    os.makedirs(os.path.join(iso_root, "isolinux"))
    for f in ("/usr/lib/ISOLINUX/isolinux.bin",
              "/usr/lib/syslinux/modules/bios/ldlinux.c32"):
        shutil.copy(f, os.path.join(iso_root, "isolinux"))
    shutil.copy(a.kernel, os.path.join(iso_root, "bzimage"))
    shutil.copy(a.initrd, os.path.join(iso_root, "initrd.img"))
    append = f"{CMDLINE} harness.backend={a.backend} harness.timeout={a.test_timeout} {a.append}"
    with open(os.path.join(iso_root, "isolinux", "isolinux.cfg"), "w") as f:
        f.write("serial 0 115200\ndefault linux\nprompt 0\ntimeout 0\n"
                f"label linux\n  kernel /bzimage\n  append initrd=/initrd.img {append}\n")
    iso = os.path.join(work, "boot.iso")
    subprocess.run(["genisoimage", "-quiet", "-o", iso, "-b", "isolinux/isolinux.bin",
                    "-c", "isolinux/boot.cat", "-no-emul-boot", "-boot-load-size", "4",
                    "-boot-info-table", "-J", "-R", iso_root], check=True)
    rc = os.path.join(work, "bochs.rc")
    with open(rc, "w") as f:
        f.write("c\nquit\n")
    conf = os.path.join(work, "bochsrc")
    megs = int(a.mem.rstrip("GMgm")) * (1024 if a.mem[-1] in "Gg" else 1)
    with open(conf, "w") as f:
        f.write(f"""megs: {megs}
cpu: model={a.bochs_cpu}, count={a.bochs_count or a.smp}, ips={a.bochs_ips}, reset_on_triple_fault=1
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev={log}
display_library: rfb, options="timeout=0"
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
clock: sync=none, time0=1704067200
error: action=ignore
info: action=ignore
debug: action=ignore
panic: action=fatal
log: {os.path.join(work, 'bochs.log')}
""")
    return ["bochs", "-q", "-f", conf, "-rc", rc], work


def run(a):
    work = tempfile.mkdtemp(prefix="run-vm-")
    log = os.path.abspath(a.log)
    open(log, "w").close()
    if a.emulator == "qemu":
        cmd, _ = qemu_cmd(a, log)
    else:
        cmd, _ = bochs_cmd(a, log, work)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(work, "emulator.err"), "w"),
                            start_new_session=True)
    size, last_growth, why = 0, start, None
    while proc.poll() is None:
        time.sleep(1)
        now = time.monotonic()
        try:
            cur = os.path.getsize(log)
        except OSError:
            cur = 0
        if cur != size:
            if a.show:
                with open(log, "rb") as f:
                    f.seek(size)
                    sys.stdout.write(f.read(cur - size).decode(errors="replace"))
                    sys.stdout.flush()
            size, last_growth = cur, now
        if now - start > a.timeout:
            why = f"timeout: still running after {a.timeout}s"
        elif now - last_growth > a.silence:
            why = f"wedged: serial log silent for {a.silence}s"
        else:
            # The guest is done; an emulator that does not exit is not a failure.
            with open(log, errors="replace") as f:
                if "HARNESS: done" in f.read() and now - last_growth > 10:
                    break
            continue
        break
    if proc.poll() is None:
        os.killpg(proc.pid, 9)
        proc.wait()
    wall = time.monotonic() - start
    with open(log, errors="replace") as f:
        text = f.read()
    err = open(os.path.join(work, "emulator.err"), errors="replace").read()
    shutil.rmtree(work, ignore_errors=True)
    return text, why, wall, err


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--emulator", choices=("qemu", "bochs"), required=True)
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--backend", choices=("svm", "vmx"), required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--name", default="")
    p.add_argument("--timeout", type=int, default=900)
    p.add_argument("--silence", type=int, default=None,
                   help="default: 120 (QEMU), 400 (Bochs: a debug kernel's boot is "
                        "silent for ~40 emulated seconds before the heartbeat starts)")
    p.add_argument("--test-timeout", type=int, default=300)
    p.add_argument("--smp", type=int, default=None, help="default: 2 (QEMU), 1 (Bochs)")
    p.add_argument("--mem", default=None, help="default: 1G (QEMU), 512M (Bochs)")
    p.add_argument("--icount", action="store_true")
    p.add_argument("--qemu-cpu", default="EPYC,+svm,+npt")
    p.add_argument("--bochs-cpu", default="corei7_haswell_4770")
    p.add_argument("--bochs-ips", default="100000000")
    p.add_argument("--bochs-count", default=None, help="Bochs processors:cores:threads")
    p.add_argument("--append", default="", help="more kernel command line")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--show", action="store_true", help="copy the serial console to stdout")
    a = p.parse_args()
    if a.silence is None:
        a.silence = 120 if a.emulator == "qemu" else 400
    if a.smp is None:
        a.smp = 2 if a.emulator == "qemu" else 1
    if a.mem is None:
        a.mem = "1G" if a.emulator == "qemu" else "512M"
    if a.emulator == "bochs" and a.smp == 1 and "acpi=" not in a.append:
        # ACPI init costs a debug kernel 20 s of emulated time under
        # Bochs; one CPU needs no ACPI (the BIOS's MP table suffices).
        a.append += " acpi=off"

    text, why, wall, err = run(a)
    res = ktap.judge(text)
    if why:
        res.problems.insert(0, why)
    name = a.name or f"{a.emulator}-{a.backend}"
    ok = not res.problems and res.done
    print(f"{name}: {'PASS' if ok else 'FAIL'} in {wall:.0f}s wall: "
          f"{res.passed} passed, {res.failed} failed, {res.skipped} skipped "
          f"(log {a.log})")
    for t in res.tests:
        print(f"  {t.status:4} {t.name}{'  # ' + t.note if t.note else ''}")
    for pr in res.problems:
        print(f"  PROBLEM: {pr}")
    if not ok and not a.quiet and not a.show:
        print(f"--- last lines of {a.log} ---")
        print("\n".join(text.splitlines()[-60:]))
        if err.strip():
            print("--- emulator stderr ---")
            print("\n".join(err.splitlines()[-20:]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
