"""Merges the C++ bench's Google Benchmark JSON with run_peers.py's peers.json into one table.

Workload rows: median µs per call of nncc, LibTorch (both from the C++ bench) and each peer, with
ratio = peer time / nncc time (>1: nncc is faster). GEMM rows: GFLOP/s of nncc and OpenBLAS, nncc
as a share of OpenBLAS and of the measured FMA peak. Either input may be missing; the table then
has the columns it can fill. Needs only the Python standard library.

Usage: report.py [--gbench nncc.json] [--peers peers.json] [--markdown out.md] [--json out.json]
"""
import argparse
import json
import pathlib
import statistics
import sys

# Column order and labels; systems from the gbench file first, then run_peers.py's peers.
LABELS = {"libtorch": "LibTorch", "torch_eager": "PyTorch eager", "torch_compile": "torch.compile",
          "onnxruntime": "ONNX Runtime", "iree": "IREE"}
TO_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}


def parse_name(run_name):
    """'mlp_b1/nncc/threads:2/real_time' -> (['mlp_b1', 'nncc'], 2). Google Benchmark's own
    suffixes (real_time, min_time:..., repeats:...) are dropped; no threads: part means 1."""
    parts, threads = [], 1
    for p in run_name.split("/"):
        if p.startswith("threads:"):
            threads = int(p.split(":")[1])
        elif ":" not in p and p not in ("real_time", "process_time", "manual_time"):
            parts.append(p)
    return parts, threads


def load_gbench(path):
    """{(name parts tuple, threads): {"us": median real time, counters...}}, from the median
    aggregates, or the median of the iterations where the run had no repetitions; {"na":
    message} for a benchmark that reported an error (SkipWithError)."""
    runs, out = {}, {}
    for b in json.loads(path.read_text())["benchmarks"]:
        key = parse_name(b.get("run_name", b["name"]))
        key = (tuple(key[0]), key[1])
        kind = b.get("aggregate_name") if b.get("run_type") == "aggregate" else "iteration"
        if b.get("error_occurred"):
            out[key] = {"na": b.get("error_message", "error")}
        elif kind in ("median", "iteration"):
            runs.setdefault(key, {}).setdefault(kind, []).append(b)
    for key, kinds in runs.items():
        entries = kinds.get("median") or kinds["iteration"]
        r = {k: statistics.median(e[k] for e in entries) for k, v in entries[0].items()
             if isinstance(v, (int, float)) and not isinstance(v, bool)}
        r["us"] = r["real_time"] * TO_US[entries[0].get("time_unit", "ns")]
        out[key] = r
    return out


def fmt_us(us):
    return f"{us:.0f}" if us >= 100 else f"{us:.1f}" if us >= 10 else f"{us:.2f}"


def fmt_ratio(r):
    return f"{r:.0f}×" if r >= 10 else f"{r:.1f}×" if r >= 1 else f"{r:.2f}×"


def workload_rows(gbench, peers):
    """Merged rows: {"workload", "threads", "nncc_us", "nncc_threads", ["nncc_na",] "systems":
    {system: {"us", "ratio", "ok", "max_abs_diff"} or {"na": reason}}}."""
    rows, nncc = {}, {}
    for (parts, threads), r in gbench.items():
        if len(parts) == 2 and parts[0] not in ("gemm", "fma_peak"):
            cells = rows.setdefault((parts[0], threads), {})
            if parts[1] == "nncc":
                nncc[(parts[0], threads)] = r.get("us", r.get("na"))
            else:
                cells[parts[1]] = {"us": r["us"]} if "us" in r else {"na": r["na"]}
    for p in peers:
        cell = {"na": p["na"]} if "na" in p else {
            "us": p["median_us"], "ok": p.get("ok"), "max_abs_diff": p.get("max_abs_diff")}
        rows.setdefault((p["workload"], p["threads"]), {})[p["peer"]] = cell
    first = {w: i for i, (w, _) in reversed(list(enumerate(rows)))}
    out = []
    for (workload, threads), systems in sorted(rows.items(), key=lambda kv: (first[kv[0][0]],
                                                                             kv[0][1])):
        # nncc's generated code may be measured at one thread only: compare against that then.
        nncc_threads = threads if (workload, threads) in nncc else 1
        base = nncc.get((workload, nncc_threads))
        row = {"workload": workload, "threads": threads, "nncc_us": base,
               "nncc_threads": nncc_threads, "systems": systems}
        if isinstance(base, str):  # nncc reported an error
            row.update(nncc_us=None, nncc_na=base)
        for cell in systems.values():
            if row["nncc_us"] and "us" in cell:
                cell["ratio"] = cell["us"] / row["nncc_us"]
        out.append(row)
    return out


def gemm_rows(gbench):
    peak = next((r.get("gflops") for (parts, _), r in gbench.items() if parts == ("fma_peak",)),
                None)
    shapes = {}
    for (parts, threads), r in gbench.items():
        if len(parts) == 3 and parts[0] == "gemm":
            if "us" not in r:
                continue
            m, n, k = map(int, parts[1].split("x"))
            gflops = 2 * m * n * k / (r["us"] * 1e-6) / 1e9
            shapes.setdefault((parts[1], threads), {})[parts[2]] = gflops
    rows = []
    for (shape, threads), g in shapes.items():
        row = {"shape": shape, "threads": threads, "gflops": g}
        if "nncc" in g and "openblas" in g:
            row["nncc_vs_openblas"] = g["nncc"] / g["openblas"]
        if peak:
            row["share_of_peak"] = {s: v / (peak * threads) for s, v in g.items()}
        rows.append(row)
    return rows, peak


def markdown(rows, gemm, peak, notes):
    systems = [s for s in LABELS if any(s in r["systems"] for r in rows)]
    systems += sorted({s for r in rows for s in r["systems"]} - set(systems))
    head = " | ".join(LABELS.get(s, s) for s in systems)
    lines = ["## Workloads: median µs per call (ratio = system / nncc; >1: nncc is faster)", "",
             f"| workload | threads | nncc | {head} |",
             "|---|---:|---:|" + "---:|" * len(systems)]
    for r in rows:
        nncc = "–" if r["nncc_us"] is None else fmt_us(r["nncc_us"])
        if "nncc_na" in r:
            nncc = "n/a"
            notes.append(f"nncc on {r['workload']}: n/a: {r['nncc_na']}")
        if r["nncc_us"] is not None and r["nncc_threads"] != r["threads"]:
            nncc += f" ({r['nncc_threads']}t)"
        cells = []
        for s in systems:
            c = r["systems"].get(s)
            if c is None:
                cells.append("–")
            elif "na" in c:
                cells.append("n/a")
                notes.append(f"{LABELS.get(s, s)} on {r['workload']}: n/a: {c['na']}")
            else:
                text = fmt_us(c["us"]) + (f" ({fmt_ratio(c['ratio'])})" if "ratio" in c else "")
                if "ok" in c and c["ok"] is None:
                    notes.append(f"{r['workload']}: outputs not checked (no nncc output in data)")
                if c.get("ok") is False:
                    text += " ✗"
                    d = c["max_abs_diff"]
                    how = "in size" if d is None else f"by {d:.3g} (max abs)"
                    notes.append(f"{LABELS.get(s, s)} on {r['workload']} ({r['threads']}t): output "
                                 f"differs from nncc's {how}")
                cells.append(text)
        lines.append(f"| {r['workload']} | {r['threads']} | {nncc} | " + " | ".join(cells) + " |")
    if any(r["nncc_us"] is not None and r["nncc_threads"] != r["threads"] for r in rows):
        lines += ["", "(1t): nncc has no run at that thread count; its 1-thread time is used."]
    if gemm:
        lines += ["", "## GEMM: GFLOP/s (M×N×K; 2MNK flops per call)", ""]
        if peak:
            lines += [f"Measured FMA peak (fma_peak, 1 thread): {peak:.1f} GFLOP/s; shares of peak "
                      "are of that times the thread count.", ""]
        lines += ["| M×N×K | threads | nncc | OpenBLAS | nncc / OpenBLAS |",
                  "|---|---:|---:|---:|---:|"]
        for g in gemm:
            cells = []
            for s in ("nncc", "openblas"):
                v = g["gflops"].get(s)
                share = g.get("share_of_peak", {}).get(s)
                cells.append("–" if v is None else f"{v:.1f}" + (f" ({share:.0%} of peak)"
                                                                 if share is not None else ""))
            vs = g.get("nncc_vs_openblas")
            lines.append(f"| {g['shape']} | {g['threads']} | {cells[0]} | {cells[1]} | "
                         + ("–" if vs is None else f"{vs:.0%}") + " |")
    if notes:
        lines += ["", "Notes:", ""] + [f"- {n}" for n in dict.fromkeys(notes)]
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gbench", type=pathlib.Path, help="Google Benchmark JSON of the C++ bench")
    p.add_argument("--peers", type=pathlib.Path, help="run_peers.py's output")
    p.add_argument("--markdown", type=pathlib.Path, help="also write the table here")
    p.add_argument("--json", type=pathlib.Path, help="write the merged results here")
    a = p.parse_args()
    notes = []
    gbench, context, peers = {}, {}, {}
    if a.gbench and a.gbench.exists():
        gbench = load_gbench(a.gbench)
        context = json.loads(a.gbench.read_text()).get("context", {})
    elif a.gbench:
        notes.append(f"no {a.gbench}: nncc, LibTorch and GEMM columns are empty")
    if a.peers and a.peers.exists():
        peers = json.loads(a.peers.read_text())
    elif a.peers:
        notes.append(f"no {a.peers}: only the C++ bench's systems are shown")
    rows = workload_rows(gbench, peers.get("results", []))
    gemm, peak = gemm_rows(gbench)
    text = markdown(rows, gemm, peak, notes)
    sys.stdout.write(text)
    if a.markdown:
        a.markdown.write_text(text)
    if a.json:
        merged = {"gbench_context": context, "machine": peers.get("machine"),
                  "versions": peers.get("versions"), "workloads": rows, "gemm": gemm,
                  "fma_peak_gflops": peak}
        a.json.write_text(json.dumps(merged, indent=1) + "\n")


if __name__ == "__main__":
    main()
