#!/usr/bin/env python3
"""Plots and tables from the raw benchmark outputs that scripts/benchmarks.sh writes.

    python3 scripts/plot_benchmarks.py [--data docs/benchmarks/data] [--out docs/benchmarks]

Reads (whichever exist) in DATA:
    dashboard.json          bench_dashboard, Google Benchmark JSON (medians of repetitions)
    prefetch_scaling.json   bench_prefetch_scaling, Google Benchmark JSON
    fetch_paths.json        bench_fetch_paths, Google Benchmark JSON
    load_test_*.json        bench_load_test --json
    example_*_*.json        examples/dashboard --summary-json (example_<backend>_<variant>.json)
    bulk_insert.json        bench_bulk_insert, Google Benchmark JSON
    huge_input.txt          bench_huge_input (its own markdown tables)
Writes OUT/*.png and DATA/tables.md (markdown tables with medians and ratios, and every
target of the product issue marked met or missed with the measured number).
Needs python3 and matplotlib (Debian: python3-matplotlib); uses the Agg backend.
"""
import argparse
import glob
import json
import os
import re
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STRATEGIES = ["naive", "eager", "handwritten"]
# The dashboard's strategies: the three above, and on PostgreSQL raw libpq (the C floor).
DASH_STRATEGIES = STRATEGIES + ["libpq"]
COLORS = {"naive": "#d62728", "eager": "#1f77b4", "handwritten": "#2ca02c", "libpq": "#9467bd"}
MARKERS = {"naive": "o", "eager": "s", "handwritten": "^", "libpq": "v"}
BACKENDS = ["sqlite", "postgresql", "mariadb"]
BACKEND_TITLE = {"sqlite": "SQLite (embedded, in-process)", "postgresql": "PostgreSQL (loopback)",
                 "mariadb": "MariaDB (loopback)"}
TIME_SCALE = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}

plt.rcParams.update({"font.size": 10, "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": 110})


# ---------------------------------------------------------------- reading
def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def gbench_results(path):
    """Google Benchmark JSON -> (context, {run_name: record}).

    A record: ms (median real time, or the median of the iterations when there are no
    aggregates), counters (from the same entry), repetitions, error (message of a skipped
    benchmark, else None)."""
    doc = load_json(path)
    iterations, medians, errors = {}, {}, {}
    for b in doc.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        if b.get("error_occurred"):
            errors[name] = b.get("error_message", "error")
            continue
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = b
        else:
            iterations.setdefault(name, []).append(b)
    out = {}
    for name, b in medians.items():
        out[name] = {"ms": b["real_time"] * TIME_SCALE[b.get("time_unit", "ns")], "counters": b,
                     "repetitions": b.get("repetitions", 1), "error": None}
    for name, runs in iterations.items():
        if name in out:
            continue
        times = [r["real_time"] * TIME_SCALE[r.get("time_unit", "ns")] for r in runs]
        med = statistics.median(times)
        closest = min(runs, key=lambda r: abs(r["real_time"] * TIME_SCALE[r.get("time_unit", "ns")] - med))
        out[name] = {"ms": med, "counters": closest, "repetitions": len(runs), "error": None}
    for name, msg in errors.items():
        out.setdefault(name, {"ms": None, "counters": {}, "repetitions": 0, "error": msg})
    return doc.get("context", {}), out


def parts(run_name):
    """A run name's own components, without what Google Benchmark appends (real_time, min_time:...)."""
    return [x for x in run_name.split("/") if x not in ("real_time", "manual_time", "process_time")
            and not re.match(r"(min_time|min_warmup_time|iterations|repeats|threads):", x)]


def skipped_estimate(msg):
    """'too slow: ~12143 statements x ~0.719 ms ... = ~9 s per load ...' -> (statements, seconds)."""
    st = re.search(r"~?([\d.]+) statements", msg or "")
    sec = re.search(r"= ~?([\d.]+) s per load", msg or "")
    return (float(st.group(1)) if st else None, float(sec.group(1)) if sec else None)


def dashboard_data(path):
    """{(backend, scale, variant, strategy, rtt): record} and {(backend, scale): dataset rows}."""
    context, results = gbench_results(path)
    data = {}
    for name, r in results.items():
        p = parts(name)
        if len(p) < 6 or p[0] != "dashboard":
            continue
        backend, scale, variant, strategy, rtt = p[1:6]
        rec = {"ms": r["ms"], "skipped": r["error"], "repetitions": r["repetitions"],
               "statements": r["counters"].get("statements"), "rows": r["counters"].get("rows"),
               "peak_rss_mb": r["counters"].get("peak_rss_mb"),
               "peak_growth_mb": r["counters"].get("peak_growth_mb"), "estimated": False}
        if r["error"]:
            st, sec = skipped_estimate(r["error"])
            rec["statements"] = st
            if sec is not None:
                rec["ms"] = sec * 1000.0
                rec["estimated"] = True
        data[(backend, scale, variant, strategy, rtt)] = rec
    sizes = {}
    for key, value in context.items():
        m = re.match(r"dataset_(\w+?)_(.+)$", key)
        if m and isinstance(value, str):
            counts = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", value)}
            sizes[(m.group(1), m.group(2))] = counts
    return context, data, sizes


def rtt_label(rtt):
    ms = rtt_ms(rtt)
    return "loopback" if ms == 0 else f"+{ms:g} ms RTT"


def rtt_ms(rtt):
    try:
        return float(rtt.replace("rtt", ""))
    except ValueError:
        return float("nan")


def scale_order(scale):
    if scale == "default":
        return 1.0
    m = re.match(r"([\d.]+)x$", scale)
    return float(m.group(1)) if m else 1e9


# ---------------------------------------------------------------- formatting
def fmt_ms(ms, estimated=False):
    if ms is None:
        return "–"
    s = f"{ms:.3g}" if ms < 10 else f"{ms:,.0f}"
    if ms < 1:
        s = f"{ms:.3f}"
    return ("~" + s + " (est.)") if estimated else s


def fmt_ratio(a, b, estimated=False):
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    s = f"{r:.2f}x" if r < 10 else f"{r:,.0f}x"
    return ("~" + s) if estimated else s


def fmt_int(x):
    return "–" if x is None else f"{int(round(x)):,}"


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- dashboard
def dataset_rows(sizes, backend, scale):
    c = sizes.get((backend, scale))
    return sum(c.values()) if c else None


def plot_dashboard(data, sizes, out):
    written = []
    variants = sorted({k[2] for k in data}, key=lambda v: v != "full")
    styles = {"full": "-", "limited": "--", "summary": ":"}

    def series(backend, variant, strategy, rtt, field):
        pts = []
        for scale in sorted({k[1] for k in data if k[0] == backend}, key=scale_order):
            rec = data.get((backend, scale, variant, strategy, rtt))
            x = dataset_rows(sizes, backend, scale) or scale_order(scale)
            if rec and rec.get(field) is not None:
                pts.append((x, rec[field], rec["estimated"] and field == "ms", scale))
        return pts

    def draw(ax, pts, strategy, variant, label):
        if not pts:
            return
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        # eager and handwritten often coincide (4 statements): hand-written drawn smaller, on top
        size = {"naive": 7, "eager": 9, "handwritten": 5, "libpq": 5}[strategy]
        ax.plot(xs, ys, styles.get(variant, ":"), color=COLORS[strategy], marker=MARKERS[strategy], label=label,
                markersize=size, zorder={"naive": 2, "eager": 3, "handwritten": 4, "libpq": 4}[strategy])
        for x, y, est, _ in pts:
            if est:  # an estimate (the benchmark was skipped as too slow): hollow marker
                ax.plot([x], [y], MARKERS[strategy], markersize=12, markerfacecolor="white",
                        markeredgecolor=COLORS[strategy], markeredgewidth=2, zorder=5)

    def scale_ticks(ax, backend):
        ticks, labels = [], []
        for scale in sorted({k[1] for k in data if k[0] == backend}, key=scale_order):
            x = dataset_rows(sizes, backend, scale)
            if x:
                ticks.append(x)
                labels.append(f"{x:,}\n({scale})")
        if ticks:
            ax.set_xticks(ticks)
            ax.set_xticklabels(labels)
            ax.minorticks_off()
            ax.set_xlim(ticks[0] / 1.6, ticks[-1] * 1.6)

    def legend_below(fig, axes, extra=None):
        handles, labels = axes[0].get_legend_handles_labels()
        for ax in axes[1:]:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
        if extra:
            handles.append(extra[0])
            labels.append(extra[1])
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 4), fontsize=9, frameon=False)

    backends = [b for b in BACKENDS if any(k[0] == b for k in data)]
    # 1. statements per dashboard vs data size
    fig, axes = plt.subplots(1, len(backends), figsize=(5.6 * len(backends), 5.0), squeeze=False)
    for ax, backend in zip(axes[0], backends):
        for strategy in DASH_STRATEGIES:
            for variant in variants:
                draw(ax, series(backend, variant, strategy, "rtt0", "statements"), strategy, variant,
                     f"{strategy}, {variant}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(BACKEND_TITLE.get(backend, backend))
        ax.set_xlabel("rows in the database (log)")
        ax.set_ylabel("statements per dashboard (log)")
        scale_ticks(ax, backend)
        ax.annotate("eager = hand-written = 4", (0.5, 4), xycoords=("axes fraction", "data"), xytext=(0, 8),
                    textcoords="offset points", ha="center", fontsize=9)
    fig.suptitle("Statements per dashboard vs data size (solid: full dashboard, dashed: limited, dotted: summary)")
    legend_below(fig, list(axes[0]))
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    path = os.path.join(out, "dashboard_statements.png")
    fig.savefig(path)
    plt.close(fig)
    written.append(path)

    # 2. time per dashboard vs data size, per strategy; PostgreSQL at each round trip
    panels = [(b, r) for b in backends for r in sorted({k[4] for k in data if k[0] == b}, key=rtt_ms)]
    fig, axes = plt.subplots(1, len(panels), figsize=(5.0 * len(panels), 5.2), squeeze=False)
    for ax, (backend, rtt) in zip(axes[0], panels):
        for strategy in DASH_STRATEGIES:
            for variant in variants:
                draw(ax, series(backend, variant, strategy, rtt, "ms"), strategy, variant, f"{strategy}, {variant}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        title = BACKEND_TITLE.get(backend, backend)
        if backend == "postgresql":
            title = f"PostgreSQL, {rtt_label(rtt)}"
        ax.set_title(title)
        ax.set_xlabel("rows in the database (log)")
        ax.set_ylabel("median wall time per dashboard, ms (log)")
        scale_ticks(ax, backend)
    fig.suptitle("Dashboard load time vs data size (solid: full dashboard, dashed: limited, dotted: summary)")
    estimated = any(r["estimated"] for r in data.values())
    hollow = plt.Line2D([], [], linestyle="", marker="o", markersize=10, markerfacecolor="white",
                        markeredgecolor="0.3", markeredgewidth=2)
    legend_below(fig, list(axes[0]), (hollow, "estimated: naive too slow to run there") if estimated else None)
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    path = os.path.join(out, "dashboard_time.png")
    fig.savefig(path)
    plt.close(fig)
    written.append(path)
    return written


def dashboard_tables(data, sizes):
    lines = []
    keys = sorted({(k[0], k[1], k[2], k[4]) for k in data},
                  key=lambda k: (BACKENDS.index(k[0]) if k[0] in BACKENDS else 9, scale_order(k[1]), k[2] != "full",
                                 rtt_ms(k[3])))
    reps = sorted({r["repetitions"] for r in data.values() if r["repetitions"]})
    lines.append(f"### Dashboard load (bench_dashboard; median of {'/'.join(map(str, reps)) or '?'} repetitions)\n")
    lines.append("Wall time per dashboard in ms. naive/eager, eager/handwritten and eager/libpq (PostgreSQL: raw "
                 "libpq with prepared statements, the C floor) are ratios of the medians; "
                 "`~` marks a naive load that was too slow to run at that size and round trip (its time is "
                 "bench_dashboard's estimate: statements x measured time per statement). Peak growth: the "
                 "process's resident high-water mark during the benchmark minus its resident size before "
                 "it (peak_growth_mb; the high-water mark is reset per benchmark), eager's over "
                 "handwritten's.\n")
    rows = []
    for backend, scale, variant, rtt in keys:
        rec = {s: data.get((backend, scale, variant, s, rtt)) for s in DASH_STRATEGIES}
        ms = {s: (rec[s]["ms"] if rec[s] else None) for s in DASH_STRATEGIES}
        est = {s: bool(rec[s] and rec[s]["estimated"]) for s in DASH_STRATEGIES}
        st = {s: (rec[s]["statements"] if rec[s] else None) for s in DASH_STRATEGIES}
        peak = {s: (rec[s].get("peak_growth_mb") if rec[s] else None) for s in DASH_STRATEGIES}
        dash_rows = next((rec[s]["rows"] for s in ("eager", "handwritten", "naive") if rec[s] and rec[s]["rows"]), None)
        rows.append([backend, scale, fmt_int(dataset_rows(sizes, backend, scale)), variant,
                     "–" if backend == "sqlite" else rtt_label(rtt), fmt_int(dash_rows),
                     " / ".join(fmt_int(st[s]) for s in DASH_STRATEGIES),
                     fmt_ms(ms["naive"], est["naive"]), fmt_ms(ms["eager"]), fmt_ms(ms["handwritten"]),
                     fmt_ms(ms["libpq"]),
                     fmt_ratio(ms["naive"], ms["eager"], est["naive"]), fmt_ratio(ms["eager"], ms["handwritten"]),
                     fmt_ratio(ms["eager"], ms["libpq"]),
                     fmt_ratio(peak["eager"], peak["handwritten"])])
    lines.append(md_table(["backend", "scale", "db rows", "variant", "round trip", "dashboard rows",
                           "statements n / e / h / l", "naive ms", "eager ms", "handwritten ms", "libpq ms",
                           "naive/eager", "eager/handwritten", "eager/libpq", "peak growth eager/handwritten"], rows))
    return "\n".join(lines)


# ---------------------------------------------------------------- prefetch scaling
def prefetch_data(path):
    """prefetch_scaling/<backend>/<child rows> -> [(backend, series, child_rows, record)]."""
    context, results = gbench_results(path)
    points = []
    for name, r in results.items():
        p = parts(name)
        if len(p) < 3 or r["ms"] is None or not p[-1].isdigit():
            continue
        c = r["counters"]
        backend, series = p[1], "/".join(p[2:-1])
        child_rows = int(c.get("child_rows", int(p[-1])))
        points.append((backend, series, child_rows, {
            "ms": r["ms"], "ns_per_row": c.get("ns_per_row"), "rows_per_second": c.get("rows_per_second"),
            "statements": c.get("statements"), "rows": c.get("rows"), "peak_rss_mb": c.get("peak_rss_mb")}))
    return context, points


def plot_prefetch(points, out):
    if not points:
        return []
    backends = [b for b in BACKENDS if any(p[0] == b for p in points)] or sorted({p[0] for p in points})
    fig, axes = plt.subplots(1, len(backends), figsize=(5.6 * len(backends), 4.4), squeeze=False)
    for ax, backend in zip(axes[0], backends):
        series = sorted({p[1] for p in points if p[0] == backend})
        ymax = 0.0
        for i, s in enumerate(series):
            pts = sorted((p[2], p[3]["ns_per_row"]) for p in points
                         if p[0] == backend and p[1] == s and p[3]["ns_per_row"] is not None)
            if not pts:
                continue
            ymax = max(ymax, max(y for _, y in pts))
            ax.plot([x for x, _ in pts], [y for _, y in pts], "-o", label=s or backend,
                    color=plt.cm.tab10(i % 10))
            for x, y in pts:
                ax.annotate(f"{y:,.0f} ns", (x, y), xytext=(0, 7), textcoords="offset points", ha="center",
                            fontsize=8)
        ax.set_xscale("log")
        ax.set_ylim(0, ymax * 1.25 if ymax > 0 else 1)
        ax.set_title(BACKEND_TITLE.get(backend, backend))
        ax.set_xlabel("child rows loaded by the prefetch level (log)")
        ax.set_ylabel("ns per row loaded (wall time / (parents + children))")
        ticks = sorted({p[2] for p in points if p[0] == backend})
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{t:,}" for t in ticks])
        ax.minorticks_off()
        if len(series) > 1 or series[0]:
            ax.legend(fontsize=8)
    fig.suptitle("One prefetch level, 1,000 parents: cost per row vs child rows (flat = linear)")
    fig.tight_layout()
    path = os.path.join(out, "prefetch_cost_per_row.png")
    fig.savefig(path)
    plt.close(fig)
    return [path]


def prefetch_table(points):
    if not points:
        return ""
    rows = []
    for backend, s, n, rec in sorted(points, key=lambda p: (BACKENDS.index(p[0]) if p[0] in BACKENDS else 9, p[1],
                                                             p[2])):
        rows.append([backend, f"{n:,}", fmt_ms(rec["ms"]), fmt_int(rec["statements"]),
                     "–" if rec["ns_per_row"] is None else f"{rec['ns_per_row']:,.0f}",
                     "–" if rec["rows_per_second"] is None else f"{rec['rows_per_second']:,.0f}",
                     "–" if rec["peak_rss_mb"] is None else f"{rec['peak_rss_mb']:,.0f}"])
    return ("### Prefetch scaling (bench_prefetch_scaling; medians)\n\n"
            "`select<ScaleParent>().prefetch(children)`: 1,000 parents and N child rows; ns per row = wall time "
            "per load / (parents + children).\n\n" +
            md_table(["backend", "child rows", "ms per load", "statements", "ns per row", "rows/s",
                      "peak RSS MiB"], rows))


# ---------------------------------------------------------------- load test
def load_test_data(data_dir):
    rows = []
    for path in sorted(glob.glob(os.path.join(data_dir, "load_test_*.json"))):
        for r in load_json(path):
            r.setdefault("pool", "shared")
            rows.append(r)
    return rows


def plot_load(rows, out):
    if not rows:
        return []
    written = []
    rtts = sorted({r["rtt_ms"] for r in rows})
    pools = sorted({r["pool"] for r in rows}, key=lambda p: p != "shared")
    styles = {"shared": "-", "per-thread": "--"}
    for field, ylabel, name, title, logy in [
        ("dashboards_per_second", "dashboards per second (log)", "load_throughput.png",
         "Throughput vs client threads (PostgreSQL, limited dashboard)", True),
        ("server_cpu_ms_per_dashboard", "PostgreSQL server CPU ms per dashboard (log)", "load_server_cpu.png",
         "Server CPU per dashboard vs client threads (from /proc of the server's processes)", True),
    ]:
        fig, axes = plt.subplots(1, len(rtts), figsize=(5.6 * len(rtts), 5.4), squeeze=False, sharey=True)
        for ax, rtt in zip(axes[0], rtts):
            for strategy in STRATEGIES:
                for pool in pools:
                    pts = sorted((r["threads"], r[field]) for r in rows
                                 if r["strategy"] == strategy and r["rtt_ms"] == rtt and r["pool"] == pool
                                 and r.get(field) is not None)
                    if not pts:
                        continue
                    ax.plot([x for x, _ in pts], [y for _, y in pts], styles.get(pool, ":"), color=COLORS[strategy],
                            marker=MARKERS[strategy],
                            label=f"{strategy}" + ("" if len(pools) == 1 else f", {pool} pool"))
            ax.set_xscale("log", base=2)
            threads = sorted({r["threads"] for r in rows})
            ax.set_xticks(threads)
            ax.set_xticklabels([str(t) for t in threads])
            if logy:
                ax.set_yscale("log")
            ax.set_title("loopback" if rtt == 0 else f"+{rtt:g} ms RTT (latency proxy)")
            ax.set_xlabel("client threads (= sessions)")
            ax.set_ylabel(ylabel)
            ax.minorticks_off()
            ax.yaxis.set_tick_params(labelleft=True)
        handles, labels = [], []
        for ax in axes[0]:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
        fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=9, frameon=False)
        fig.suptitle(title + ("\nsolid: one pool of N sessions shared by N threads; dashed: one session per thread"
                              if len(pools) > 1 else ""))
        fig.tight_layout(rect=(0, 0.08 if len(pools) == 1 else 0.12, 1, 1))
        path = os.path.join(out, name)
        fig.savefig(path)
        plt.close(fig)
        written.append(path)
    return written


def load_tables(rows):
    if not rows:
        return ""
    out = ["### Load test (bench_load_test; PostgreSQL, limited dashboard)\n",
           "dashboards/s and the PostgreSQL server's CPU ms per dashboard (utime+stime of the postmaster "
           "and its children, from /proc). *shared*: one handle over a pool of N sessions; *per-thread*: "
           "N handles of one session each (the same N connections).\n"]
    for rtt in sorted({r["rtt_ms"] for r in rows}):
        pools = sorted({r["pool"] for r in rows if r["rtt_ms"] == rtt}, key=lambda p: p != "shared")
        header = ["strategy", "threads"]
        for p in pools:
            header += [f"dashboards/s ({p})", f"server CPU ms/dashboard ({p})"]
        table = []
        for strategy in STRATEGIES:
            for t in sorted({r["threads"] for r in rows}):
                line = [strategy, t]
                found = False
                for p in pools:
                    r = next((r for r in rows if r["rtt_ms"] == rtt and r["pool"] == p and r["strategy"] == strategy
                              and r["threads"] == t), None)
                    found = found or r is not None
                    line += ["–" if r is None else f"{r['dashboards_per_second']:,.1f}",
                             "–" if r is None or r.get("server_cpu_ms_per_dashboard") is None
                             else f"{r['server_cpu_ms_per_dashboard']:.2f}"]
                if found:
                    table.append(line)
        out.append(f"\n**{'loopback' if rtt == 0 else f'+{rtt:g} ms RTT'}**\n")
        out.append(md_table(header, table))
        ratio_rows = []
        for t in sorted({r["threads"] for r in rows}):
            line = [t]
            for p in pools:
                get = {s: next((r for r in rows if r["rtt_ms"] == rtt and r["pool"] == p and r["strategy"] == s
                                and r["threads"] == t), None) for s in STRATEGIES}
                e, n, h = get["eager"], get["naive"], get["handwritten"]
                line.append("–" if not e or not n or not n["dashboards_per_second"]
                            else fmt_ratio(e["dashboards_per_second"], n["dashboards_per_second"]))
                line.append("–" if not e or not h or not e["dashboards_per_second"]
                            else fmt_ratio(h["dashboards_per_second"], e["dashboards_per_second"]))
            ratio_rows.append(line)
        header = ["threads"]
        for p in pools:
            header += [f"eager/naive throughput ({p})", f"handwritten/eager throughput ({p})"]
        out.append("\n" + md_table(header, ratio_rows))
    return "\n".join(out)


# ---------------------------------------------------------------- example program, fetch paths
def example_table(data_dir):
    rows = []
    for path in sorted(glob.glob(os.path.join(data_dir, "example_*_*.json"))):
        backend = os.path.basename(path)[len("example_"):].rsplit("_", 1)[0]
        recs = {r["strategy"]: r for r in load_json(path)}
        if not recs:
            continue
        variant = next(iter(recs.values()))["variant"]
        ms = {s: recs[s]["median_ms"] if s in recs else None for s in DASH_STRATEGIES}
        rows.append([backend, variant, " / ".join(fmt_int(recs[s]["statements"]) if s in recs else "–"
                                                   for s in DASH_STRATEGIES),
                     fmt_ms(ms["naive"]), fmt_ms(ms["eager"]), fmt_ms(ms["handwritten"]), fmt_ms(ms["libpq"]),
                     fmt_ratio(ms["naive"], ms["eager"]), fmt_ratio(ms["eager"], ms["handwritten"]),
                     fmt_ratio(ms["eager"], ms["libpq"])])
    if not rows:
        return ""
    return ("### The side-by-side program (examples/dashboard, default data, median of its runs)\n\n" +
            md_table(["backend", "variant", "statements n / e / h / l", "naive ms", "eager ms", "handwritten ms",
                      "libpq ms", "naive/eager", "eager/handwritten", "eager/libpq"], rows))


def fetch_paths_table(path):
    if not os.path.exists(path):
        return ""
    _, results = gbench_results(path)
    grid = {}
    for name, r in results.items():
        p = parts(name)
        if len(p) < 3 or r["ms"] is None:
            continue
        grid.setdefault((p[0], int(p[-1])), {})["/".join(p[1:-1])] = r["ms"]
    if not grid:
        return ""
    rows = []
    for (backend, n), paths in sorted(grid.items()):
        raw = next((v for k, v in paths.items() if k.endswith("_raw")), None)
        for k, v in sorted(paths.items(), key=lambda kv: kv[1]):
            rows.append([backend, f"{n:,}", k, fmt_ms(v), fmt_ratio(v, raw) if raw else "–"])
    return ("### Fetching rows into structs (bench_fetch_paths; medians)\n\n" +
            md_table(["backend", "rows", "path", "ms", "vs raw client library"], rows))


def bulk_insert_table(path):
    if not os.path.exists(path):
        return ""
    _, results = gbench_results(path)
    rows = []
    for name, r in sorted(results.items(), key=lambda kv: BACKENDS.index(parts(kv[0])[1])
                          if len(parts(kv[0])) > 1 and parts(kv[0])[1] in BACKENDS else 9):
        p = parts(name)
        if len(p) < 3 or p[0] != "bulk_insert" or r["ms"] is None:
            continue
        n = int(p[2])
        rows.append([p[1], f"{n:,}", fmt_int(r["counters"].get("statements")), fmt_ms(r["ms"]),
                     f"{n / r['ms'] * 1000.0:,.0f}"])
    if not rows:
        return ""
    return ("### Bulk insert (bench_bulk_insert; medians)\n\n"
            "`insert_all` of N rows of 4 columns (one nullable) into an empty table.\n\n" +
            md_table(["backend", "rows", "statements", "wall ms", "rows/s"], rows))


def huge_input_tables(path):
    """bench_huge_input prints its own markdown tables: kept as they are."""
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as f:
        tables = [line.rstrip("\n") for line in f if line.startswith("|") or not line.strip()]
    body = "\n".join(tables).strip()
    if not body:
        return ""
    return ("### Huge input (bench_huge_input; one load per size, each in a fresh process)\n\n"
            "One prefetch level of N child rows under N/10 parents: load time, and the process's peak and "
            "live heap bytes against the graph's raw bytes (the structs' sizes plus their strings' "
            "characters). Then one belongs_to level of 100,000 text keys.\n\n" + body + "\n")


# ---------------------------------------------------------------- targets
def targets(dash, load_rows):
    """The product issue's targets, each with its measured number and met/missed."""
    out = []

    def row(target, measured, ok):
        out.append([target, measured, "–" if ok is None else ("**met**" if ok else "**missed**")])

    if dash:
        eager = {k: r for k, r in dash.items() if k[3] == "eager" and r["statements"] is not None}
        counts = sorted({int(r["statements"]) for r in eager.values()})
        row("eager: 4 statements at every scale", f"{', '.join(map(str, counts))} over {len(eager)} benchmarks",
            counts == [4] if counts else None)
        for backend in BACKENDS:
            ratios = []
            for k, r in dash.items():
                if k[0] != backend or k[3] != "eager" or r["ms"] is None:
                    continue
                h = dash.get(k[:3] + ("handwritten", k[4]))
                if h and h["ms"]:
                    ratios.append((r["ms"] / h["ms"], k))
            if ratios:
                worst = max(ratios)
                row(f"eager time <= 1.05x handwritten ({backend})",
                    f"worst {worst[0]:.3f}x ({worst[1][1]}, {worst[1][2]}, {rtt_label(worst[1][4])}); "
                    f"median {statistics.median(r for r, _ in ratios):.3f}x over {len(ratios)}; "
                    f"{sum(r <= 1.05 for r, _ in ratios)} of {len(ratios)} within 1.05x",
                    worst[0] <= 1.05)
            # Peak memory growth (issue 10): full variant only, where the page holds enough
            # rows for the high-water mark to mean something (the others grow < 1 MB).
            peaks = []
            for k, r in dash.items():
                if k[0] != backend or k[3] != "eager" or k[2] != "full" or not r.get("peak_growth_mb"):
                    continue
                h = dash.get(k[:3] + ("handwritten", k[4]))
                if h and h.get("peak_growth_mb"):
                    peaks.append((r["peak_growth_mb"] / h["peak_growth_mb"], k))
            if peaks:
                worst = max(peaks)
                row(f"eager peak memory growth <= 1.5x handwritten's ({backend}, full)",
                    f"worst {worst[0]:.2f}x ({worst[1][1]}, {rtt_label(worst[1][4])}); "
                    f"{sum(r <= 1.5 for r, _ in peaks)} of {len(peaks)} within 1.5x",
                    worst[0] <= 1.5)
        # eager against the C floor (issue 10): PostgreSQL, full and limited, both scales.
        ratios = []
        for k, r in dash.items():
            if k[0] != "postgresql" or k[3] != "eager" or k[2] not in ("full", "limited") or r["ms"] is None:
                continue
            lp = dash.get(k[:3] + ("libpq", k[4]))
            if lp and lp["ms"]:
                ratios.append((r["ms"] / lp["ms"], k))
        if ratios:
            worst = max(ratios)
            row("eager time <= 1.30x libpq (postgresql, full and limited)",
                f"worst {worst[0]:.3f}x ({worst[1][1]}, {worst[1][2]}, {rtt_label(worst[1][4])}); "
                f"median {statistics.median(r for r, _ in ratios):.3f}x over {len(ratios)}; "
                f"{sum(r <= 1.30 for r, _ in ratios)} of {len(ratios)} within 1.30x",
                worst[0] <= 1.30)
        for rtt, goal in (("rtt0", 60), ("rtt0.5", 250)):
            n = dash.get(("postgresql", "default", "full", "naive", rtt))
            e = dash.get(("postgresql", "default", "full", "eager", rtt))
            if n and e and n["ms"] and e["ms"]:
                r = n["ms"] / e["ms"]
                row(f"naive/eager >= {goal}x, PostgreSQL {rtt_label(rtt)}, default scale, full",
                    f"{'~' if n['estimated'] else ''}{r:.0f}x ({fmt_ms(n['ms'], n['estimated'])} ms / "
                    f"{fmt_ms(e['ms'])} ms)", r >= goal)
    for rtt in sorted({r["rtt_ms"] for r in load_rows}):
        for pool in sorted({r["pool"] for r in load_rows}, key=lambda p: p != "shared"):
            get = {s: next((r for r in load_rows if r["rtt_ms"] == rtt and r["pool"] == pool and r["strategy"] == s
                            and r["threads"] == 64), None) for s in ("naive", "eager")}
            if get["naive"] and get["eager"] and get["naive"]["dashboards_per_second"]:
                r = get["eager"]["dashboards_per_second"] / get["naive"]["dashboards_per_second"]
                row(f"throughput eager/naive >= 40x at 64 threads ({'loopback' if rtt == 0 else f'+{rtt:g} ms RTT'}, "
                    f"{pool} pool)",
                    f"{r:.1f}x ({get['eager']['dashboards_per_second']:,.1f} / "
                    f"{get['naive']['dashboards_per_second']:,.2f} dashboards/s)", r >= 40)
    if not out:
        return ""
    return "### Targets (computed from the data above)\n\n" + md_table(["target", "measured", ""], out)


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--data", default=os.path.join(root, "docs", "benchmarks", "data"))
    ap.add_argument("--out", default=None, help="where the PNGs go (default: the parent of --data)")
    ap.add_argument("--doc", default=None,
                    help="a markdown file whose generated blocks (<!-- begin generated: NAME --> ... "
                         "<!-- end generated: NAME -->) are replaced by the sections of the same name "
                         "(machine, targets, dashboard, prefetch, huge_input, load_test, example, "
                         "bulk_insert, fetch_paths), each without its heading")
    args = ap.parse_args()
    out = args.out or os.path.dirname(os.path.abspath(args.data))
    os.makedirs(out, exist_ok=True)

    written, sections = [], []  # sections: (name, text)
    dash = {}
    dash_path = os.path.join(args.data, "dashboard.json")
    if os.path.exists(dash_path):
        _, dash, sizes = dashboard_data(dash_path)
        written += plot_dashboard(dash, sizes, out)
        sections.append(("dashboard", dashboard_tables(dash, sizes)))
    pf_path = os.path.join(args.data, "prefetch_scaling.json")
    if os.path.exists(pf_path):
        _, points = prefetch_data(pf_path)
        written += plot_prefetch(points, out)
        sections.append(("prefetch", prefetch_table(points)))
    sections.append(("huge_input", huge_input_tables(os.path.join(args.data, "huge_input.txt"))))
    load_rows = load_test_data(args.data)
    written += plot_load(load_rows, out)
    sections.append(("load_test", load_tables(load_rows)))
    sections.append(("example", example_table(args.data)))
    sections.append(("bulk_insert", bulk_insert_table(os.path.join(args.data, "bulk_insert.json"))))
    sections.append(("fetch_paths", fetch_paths_table(os.path.join(args.data, "fetch_paths.json"))))
    sections.insert(0, ("targets", targets(dash, load_rows)))

    machine = os.path.join(args.data, "machine.txt")
    machine_block = ""
    if os.path.exists(machine):
        with open(machine, encoding="utf-8") as f:
            machine_block = "```\n" + f.read().rstrip() + "\n```\n"
    head = "<!-- generated by scripts/plot_benchmarks.py from the files next to this one -->\n\n"
    if machine_block:
        head += machine_block + "\n"
    tables = os.path.join(args.data, "tables.md")
    with open(tables, "w", encoding="utf-8") as f:
        f.write(head + "\n".join(text for _, text in sections if text))
    for p in written + [tables]:
        print(p)
    if not written:
        print("plot_benchmarks: no benchmark data found in " + args.data, file=sys.stderr)
        return 1
    if args.doc:
        blocks = {name: without_heading(text) for name, text in sections if text}
        if machine_block:
            blocks["machine"] = machine_block
        return splice(args.doc, blocks)
    return 0


def without_heading(text):
    """A section's text without its first "### " line and the blank lines after it."""
    lines = text.split("\n")
    if lines and lines[0].startswith("### "):
        lines = lines[1:]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return "\n".join(lines).rstrip() + "\n"


BLOCK = re.compile(r"(<!-- begin generated: (\w+) -->\n)(.*?)(<!-- end generated: \2 -->)", re.S)


def splice(doc, blocks):
    """Replaces each generated block of `doc` by its section; a block without data is an error."""
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    missing = [m.group(2) for m in BLOCK.finditer(text) if m.group(2) not in blocks]
    if missing:
        print(f"plot_benchmarks: {doc}: no data for the generated block(s) {', '.join(missing)}", file=sys.stderr)
        return 1
    found = set()

    def fill(m):
        found.add(m.group(2))
        return m.group(1) + blocks[m.group(2)] + m.group(4)

    text = BLOCK.sub(fill, text)
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{doc}: {len(found)} generated block(s) rewritten ({', '.join(sorted(found))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
