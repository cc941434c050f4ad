#!/usr/bin/env python3
"""Summarizes a clang -ftime-trace JSON: where the front end and the back end spend time.

    python3 benchmarks/compile_time/trace_summary.py TRACE.json [--top 25]

Prints
  * the "Total ..." lines clang adds (whole-TU time per event kind);
  * instantiations (InstantiateFunction / InstantiateClass) grouped by template, its
    arguments stripped: count, self time (children excluded, so no double counting)
    and inclusive time of the outermost ones;
  * back-end time per function (OptFunction, "CodeGen Function"), grouped the same way
    after demangling (c++filt, if present);
  * both again by family: the eagerload function, or the standard container or utility
    (unordered_map, deque, std::function, ...) the instantiation belongs to.
Only Python's standard library is used.
"""
import argparse
import collections
import json
import re
import shutil
import subprocess


def strip_args(name):
    """eagerload::detail::prefetch_level<1, Q, L> -> eagerload::detail::prefetch_level<>."""
    out, depth = [], 0
    i = 0
    while i < len(name):
        c = name[i]
        # keep operator<, operator<<, operator<=, operator<=> intact
        if c == "<" and depth == 0 and name.endswith("operator", 0, i):
            out.append(c)
            i += 1
            continue
        if c == "<":
            if depth == 0:
                out.append("<>")
            depth += 1
        elif c == ">" and depth > 0:
            depth -= 1
        elif depth == 0:
            out.append(c)
        i += 1
    s = "".join(out)
    s = re.sub(r"\(.*\)", "()", s)  # parameter lists
    s = re.sub(r"\s+", " ", s).strip()
    return s


# First match wins: (family, substrings of the argument-stripped name).
FAMILIES = [
    ("eagerload: prefetch_level (per prefetched level)", ["eagerload::detail::prefetch_level", "eagerload::detail::prefetch_thunks",
                                                          "eagerload::detail::rows_of"]),
    ("eagerload: load_graph (per query)", ["eagerload::detail::load_graph"]),
    ("eagerload: run_loads (per level with loads)", ["eagerload::detail::run_loads"]),
    ("eagerload: read_node / read_row / read_column", ["eagerload::detail::read_node", "eagerload::detail::read_row",
                                                       "eagerload::detail::read_column",
                                                       "eagerload::detail::read_present"]),
    ("eagerload: node<> special members", ["eagerload::node<"]),
    ("eagerload: select_query<> (building, level(), joins)", ["eagerload::select_query<"]),
    ("eagerload: conditions, columns, tables, reflection", ["eagerload::"]),
    ("std::function (batch sinks)", ["std::function<", "std::_Function", "_Any_data"]),
    ("std::unordered_map (parents by key, counts)", ["_Hashtable", "unordered_map", "std::__detail::_Map_base",
                                                     "std::__detail::_Hash", "std::__detail::_Insert",
                                                     "std::__detail::_Node", "std::__detail::_Prime",
                                                     "std::__detail::_Equal", "std::__detail::_Rehash"]),
    ("std::deque (children)", ["deque", "_Deque"]),
    ("std::shared_ptr / make_shared", ["_Sp_", "shared_ptr", "__shared_count", "_Sp_make", "allocate_shared",
                                       "make_shared"]),
    ("std::optional", ["optional", "_Optional"]),
    ("std::tuple / tuple_cat / std::apply", ["tuple", "_Tuple_impl", "_Head_base", "std::apply", "std::__apply",
                                             "std::get"]),
    ("std::vector", ["vector", "_Vector_base"]),
    ("allocators, construct/destroy, uninitialized copies", ["allocator", "_Destroy", "_Construct",
                                                             "__uninitialized", "__relocate", "destroy_at",
                                                             "construct_at"]),
    ("std::pair", ["std::pair"]),
    ("boost::hana", ["boost::hana"]),
    ("std::string", ["basic_string", "char_traits"]),
    ("std:: other", ["std::", "__gnu_cxx::"]),
]


def family(name):
    for fam, keys in FAMILIES:
        if any(k in name for k in keys):
            return fam
    return "other (the TU's own functions)"


def demangle(names):
    if not names or not shutil.which("c++filt"):
        return {n: n for n in names}
    res = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True, check=True)
    return dict(zip(names, res.stdout.split("\n")))


def self_times(events):
    """Self time of each complete event of one thread (children subtracted)."""
    events = sorted(events, key=lambda e: (e["ts"], -e["dur"]))
    selft = [e["dur"] for e in events]
    outer = [True] * len(events)
    stack = []
    for i, e in enumerate(events):
        while stack and events[stack[-1]]["ts"] + events[stack[-1]]["dur"] <= e["ts"]:
            stack.pop()
        if stack:
            selft[stack[-1]] -= e["dur"]
            if events[stack[-1]]["name"] == e["name"]:
                outer[i] = False
            # an event nested in any same-kind event is not outermost
            for j in stack:
                if events[j]["name"] == e["name"]:
                    outer[i] = False
                    break
        stack.append(i)
    return events, selft, outer


def table(title, rows, top):
    print(f"\n## {title}\n")
    print("| group | count | self ms | outermost inclusive ms |")
    print("|---|---:|---:|---:|")
    for name, (n, s, inc) in rows[:top]:
        print(f"| `{name[:140]}` | {n} | {s / 1000:.0f} | {inc / 1000:.0f} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("trace")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    with open(args.trace, encoding="utf-8") as f:
        data = json.load(f)
    evs = [e for e in data["traceEvents"] if e.get("ph") == "X"]

    print("## Totals (clang's own)\n")
    print("| event kind | count | ms |")
    print("|---|---:|---:|")
    for e in sorted((e for e in evs if e["name"].startswith("Total ")), key=lambda e: -e["dur"])[:args.top]:
        print(f"| {e['name'][6:]} | {e.get('args', {}).get('count', '')} | {e['dur'] / 1000:.0f} |")

    main_tid = collections.Counter(e["tid"] for e in evs if not e["name"].startswith("Total ")).most_common(1)[0][0]
    thread = [e for e in evs if e["tid"] == main_tid and not e["name"].startswith("Total ")]
    events, selft, outer = self_times(thread)

    kinds = {"InstantiateFunction", "InstantiateClass"}
    back = {"OptFunction", "CodeGen Function", "RunPass"}
    mangled = sorted({e["args"]["detail"] for e in events if e["name"] in ("OptFunction", "CodeGen Function")
                      and "args" in e and e["args"].get("detail", "").startswith("_Z")})
    dm = demangle(mangled)

    # Type traits, allocators and pairs are instantiated on behalf of something else:
    # charge their time to the nearest enclosing instantiation of a specific family.
    generic = {"std:: other", "allocators, construct/destroy, uninitialized copies", "std::pair"}
    charged = collections.defaultdict(int)
    stack = []
    for e, s in zip(events, selft):
        while stack and stack[-1][0] <= e["ts"]:
            stack.pop()
        fam = None
        if e["name"] in kinds:
            fam = family(strip_args(e.get("args", {}).get("detail", "")))
            if fam in generic:
                owner = next((f for _, f in reversed(stack) if f not in generic), None)
                fam = owner or fam
            charged[fam] += s
        elif e["name"] == "PerformPendingInstantiations" or e["name"] == "Source":
            fam = None
        stack.append((e["ts"] + e["dur"], fam if fam is not None else (stack[-1][1] if stack else None)))
    print("\n## Front end: instantiation self time by family, generic helpers charged to their user\n")
    print("| group | self ms |")
    print("|---|---:|")
    for k, v in sorted(charged.items(), key=lambda kv: -kv[1]):
        print(f"| `{k}` | {v / 1000:.0f} |")

    for kind_set, title in ((kinds, "Front end: instantiation self time by family"),
                            ({"OptFunction", "CodeGen Function"}, "Back end: IR generation + optimisation self time by family")):
        agg = collections.defaultdict(lambda: [0, 0, 0])
        for e, s, o in zip(events, selft, outer):
            if e["name"] not in kind_set:
                continue
            d = e.get("args", {}).get("detail", e["name"])
            key = family(strip_args(dm.get(d, d)))
            agg[key][0] += 1
            agg[key][1] += s
            if o:
                agg[key][2] += e["dur"]
        table(title, sorted(agg.items(), key=lambda kv: -kv[1][1]), len(agg))

    for kind_set, title in ((kinds, "Template instantiation by template (front end)"),
                            ({"OptFunction"}, "Optimisation by function (OptFunction, demangled, args stripped)"),
                            ({"CodeGen Function"}, "IR generation by function (CodeGen Function)"),
                            ({"RunPass"}, "Back-end passes (RunPass)")):
        agg = collections.defaultdict(lambda: [0, 0, 0])
        for e, s, o in zip(events, selft, outer):
            if e["name"] not in kind_set:
                continue
            d = e.get("args", {}).get("detail", e["name"])
            d = dm.get(d, d)
            key = d if e["name"] == "RunPass" else strip_args(d)
            if len(kind_set) > 1:
                key = f"{e['name'][11:]}: {key}"
            agg[key][0] += 1
            agg[key][1] += s
            if o:
                agg[key][2] += e["dur"]
        rows = sorted(agg.items(), key=lambda kv: -kv[1][1])
        table(title, rows, args.top)


if __name__ == "__main__":
    main()
