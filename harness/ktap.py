"""Read a test machine's serial log: KTAP results, harness lines, splats."""
import re
from dataclasses import dataclass, field

# Anything the kernel prints when it detects a bug in itself (our VMX
# backend's VMWRITE failures among them: a field the processor lacks).
SPLATS = re.compile(
    r"(WARNING:|BUG:|Oops|Call Trace|Kernel panic|general protection fault|"
    r"kernel BUG|UBSAN:|KASAN|unreferenced object|possible circular locking|"
    r"inconsistent lock state|INFO: task .* blocked|RCU stall|soft lockup|"
    r"hard LOCKUP|kvm-intel: VMWRITE .* failed)")

# Splats that come from the emulated platform, not from the kernel under
# test, and appear identically with upstream KVM.  Each is matched on the
# WARNING line of a "cut here" block, and the whole block is ignored.
KNOWN_PLATFORM_SPLATS = [
    # Bochs's CPU models report more cores in CPUID leaf 4 than logical
    # processors in leaf 1 when configured with one processor; the
    # kernel's legacy topology parser warns once at boot.
    re.compile(r"WARNING: CPU: 0 PID: 0 at arch/x86/kernel/cpu/topology_common\.c:\d+"),
    # Bochs's Skylake-X (bochs-skx, for TSC scaling) gives CPUID leaf 0xd
    # XSAVE sizes that do not add up; the kernel warns once at boot.
    re.compile(r"WARNING: CPU: 0 PID: 0 at arch/x86/kernel/fpu/xstate\.c:\d+"),
]

# Only the runner's own lines (harness/initramfs/init), which always name
# the test with this prefix: a kernel message printed in the middle of a
# test's "# ok N name" line can leave "ok N name" at the start of a line.
RESULT = re.compile(r"^(ok|not ok) (\d+) selftests: kvm: (\S+)(?: # (.*))?$")


@dataclass
class Test:
    name: str
    status: str  # PASS, FAIL, SKIP
    note: str = ""


@dataclass
class Result:
    tests: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    features: str = ""
    done: bool = False

    @property
    def passed(self):
        return sum(t.status == "PASS" for t in self.tests)

    @property
    def failed(self):
        return sum(t.status == "FAIL" for t in self.tests)

    @property
    def skipped(self):
        return sum(t.status == "SKIP" for t in self.tests)


def judge(text):
    r = Result()
    plan = None
    in_known_splat = False
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        # Kernel messages carry a "[   1.234]" timestamp.
        msg = re.sub(r"^\[\s*\d+\.\d+\]\s*", "", line)
        if any(q.search(msg) for q in KNOWN_PLATFORM_SPLATS):
            in_known_splat = True
        if in_known_splat:
            if msg.startswith("---[ end trace"):
                in_known_splat = False
            continue
        if SPLATS.search(msg) and not line.startswith("#"):
            r.problems.append(f"kernel splat: {msg.strip()}")
        if line.startswith("HARNESS: FATAL"):
            r.problems.append(line[len("HARNESS: "):])
        elif line.startswith("HARNESS: features"):
            r.features = line.split("features", 1)[1].strip()
        elif line.startswith("HARNESS: done"):
            r.done = True
        elif line.startswith("1.."):
            plan = int(line[3:])
        m = RESULT.match(line)
        if m:
            note = m.group(4) or ""
            if m.group(1) == "not ok":
                status = "FAIL"
            elif note.upper().startswith("SKIP"):
                status = "SKIP"
            else:
                status = "PASS"
            r.tests.append(Test(m.group(3), status, note))
    if not r.done and not any(p.startswith("FATAL") for p in r.problems):
        r.problems.append("the guest never reported 'HARNESS: done'")
    if plan is not None and plan != len(r.tests):
        r.problems.append(f"planned {plan} tests, saw {len(r.tests)}")
    if plan is None and r.done:
        r.problems.append("no KTAP plan in the log")
    if plan == 0:
        r.problems.append("no tests ran")
    for t in r.tests:
        if t.status == "FAIL":
            r.problems.append(f"test failed: {t.name}")
    # Keep the report short: the first few splat lines say enough.
    splats = [p for p in r.problems if p.startswith("kernel splat")]
    if len(splats) > 5:
        r.problems = [p for p in r.problems if not p.startswith("kernel splat")] + \
            splats[:5] + [f"... {len(splats) - 5} more splat lines"]
    return r
