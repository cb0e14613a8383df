#!/usr/bin/env python3
"""Apply MAINTAINERS.fragment to a MAINTAINERS file.

  maintainers.py FRAGMENT MAINTAINERS          rewrite MAINTAINERS in place
  maintainers.py --check FRAGMENT BASE RESULT  exit 1 unless RESULT is BASE
                                               with the fragment applied
"""
import sys


def parse_fragment(text):
    replaces, entries, cur = [], [], []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if line.startswith("Replaces: "):
            replaces.append(line[len("Replaces: "):])
        elif not line.strip():
            if cur:
                entries.append(cur)
            cur = []
        else:
            cur.append(line)
    if cur:
        entries.append(cur)
    return replaces, entries


def is_title(line):
    return bool(line) and not (len(line) > 1 and line[1] == ":" and line[0].isupper()
                               and line[2:3] == "\t")


def apply(fragment, text):
    replaces, entries = parse_fragment(fragment)
    lines = text.split("\n")
    # Entries start after the "Maintainers List" header, on a title line
    # preceded by a blank line.
    start = next(i for i, l in enumerate(lines) if l.startswith("Maintainers List"))
    start = next(i for i in range(start + 1, len(lines))
                 if is_title(lines[i]) and not lines[i - 1].strip()
                 and i + 1 < len(lines) and lines[i + 1][1:3] == ":\t")
    head, blocks, cur = lines[:start], [], []
    for l in lines[start:]:
        if not l.strip():
            if cur:
                blocks.append(cur)
            cur = []
        else:
            cur.append(l)
    tail = cur  # text after the last blank line (the trailing section)
    for t in replaces:
        n = len(blocks)
        blocks = [b for b in blocks if b[0] != t]
        if len(blocks) != n - 1:
            sys.exit(f"maintainers: no single entry '{t}' to replace")
    for e in entries:
        # After the last entry that sorts before it: MAINTAINERS is sorted
        # only in stretches, so the first larger title may be far off.
        key = e[0].upper()
        pos = max((i for i, b in enumerate(blocks) if b[0].upper() <= key), default=-1)
        blocks.insert(pos + 1, e)
    out = "\n".join(head) + "\n"
    for b in blocks:
        out += "\n".join(b) + "\n\n"
    out += "\n".join(tail)
    return out


def main():
    if sys.argv[1] == "--check":
        frag, base, result = (open(p).read() for p in sys.argv[2:5])
        if apply(frag, base) != result:
            sys.exit("maintainers: the series' MAINTAINERS does not match MAINTAINERS.fragment")
        return
    frag = open(sys.argv[1]).read()
    text = open(sys.argv[2]).read()
    open(sys.argv[2], "w").write(apply(frag, text))


if __name__ == "__main__":
    main()
