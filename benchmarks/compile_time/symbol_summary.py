#!/usr/bin/env python3
"""What an object file's code is made of: functions grouped by template and by family.

    python3 benchmarks/compile_time/symbol_summary.py OBJ.o [--top 30]

Reads `nm -C -S` and sums the size of every function (text, weak included) twice:
  * by template, its arguments stripped (prefetch_level<1, Q, L> -> prefetch_level<>);
  * by family: the eagerload function it belongs to, or the standard container or
    utility it instantiates (unordered_map, deque, std::function, shared_ptr, ...).
At -O0 nothing is inlined, so the counts are the instantiations the front end made and
the back end had to emit; at -O2 they are what is left after inlining.
Only Python's standard library (and binutils' nm) is used.
"""
import argparse
import collections
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace_summary import family, strip_args  # noqa: E402

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("obj")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    out = subprocess.run(["nm", "-C", "-S", "--size-sort", args.obj], capture_output=True, text=True,
                         check=True).stdout
    by_tpl = collections.defaultdict(lambda: [0, 0])
    by_fam = collections.defaultdict(lambda: [0, 0])
    total = count = 0
    for line in out.splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 4 or parts[2].lower() not in ("t", "w"):
            continue
        size = int(parts[1], 16)
        name = strip_args(parts[3])
        for agg, key in ((by_tpl, name), (by_fam, family(name))):
            agg[key][0] += 1
            agg[key][1] += size
        total += size
        count += 1
    print(f"{args.obj}: {count} functions, {total} bytes of code\n")
    for title, agg, top in (("By family", by_fam, len(by_fam)), ("By template", by_tpl, args.top)):
        print(f"## {title}\n")
        print("| group | functions | bytes | share |")
        print("|---|---:|---:|---:|")
        for k, (c, s) in sorted(agg.items(), key=lambda kv: -kv[1][1])[:top]:
            print(f"| `{k[:140]}` | {c} | {s} | {100 * s / max(total, 1):.1f}% |")
        print()


if __name__ == "__main__":
    main()
