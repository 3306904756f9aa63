"""Times the workloads on nncc's peers (torch eager and torch.compile, ONNX Runtime, IREE) on CPU.

Reads the C++ bench's data directory (<name>.safetensors, .input.npy, .output.npy, or for
training .target.npy and .loss.npy), runs every peer at every thread count, checks its output
against nncc's, and writes peers.json (see README.md for its shape). A peer that cannot run a
workload gets a row with "na" and a one-line reason instead of a time.

Usage: run_peers.py --data DIR --out peers.json [--threads 1,2] [--min-time S] [--workloads a,b]
"""
import argparse
import datetime
import importlib.metadata
import json
import logging
import multiprocessing
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import torch
from safetensors.torch import load_file

import models

REPS = 5
TRAIN_NA = {
    "onnxruntime": "inference only here: training needs onnxruntime-training's artifacts",
    "iree": "inference only here: a train step needs iree-turbine's export of the backward",
}


def measure(call, min_time, reset=None):
    """Per-call wall time in µs of each of REPS repetitions, each at least min_time seconds of
    timed calls, after a warm-up. reset() runs before every call, outside the timed region."""
    warm_end, i = time.perf_counter() + min(min_time, 1.0), 0
    while i < 3 or time.perf_counter() < warm_end:
        if reset:
            reset()
        call()
        i += 1
    reps = []
    for _ in range(REPS):
        total, n = 0.0, 0
        while total < min_time:
            if reset:
                reset()
            t0 = time.perf_counter()
            call()
            total += time.perf_counter() - t0
            n += 1
        reps.append(total / n * 1e6)
    return reps


class Workload:
    """One workload's data as the C++ side wrote it, and fresh torch models loaded from it."""

    def __init__(self, name, data):
        self.name = name
        self.factory, _ = models.WORKLOADS[name]
        self.training = models.is_training(name)
        self.state = load_file(data / f"{name}.safetensors")
        self.x = np.load(data / f"{name}.input.npy")
        ref = data / (f"{name}.loss.npy" if self.training else f"{name}.output.npy")
        self.ref = np.load(ref) if ref.exists() else None
        self.target = np.load(data / f"{name}.target.npy") if self.training else None

    def model(self):
        m = self.factory()
        # Same keys required; shapes may differ by a reshape (a scalar num_batches_tracked
        # written as [1], say).
        shapes = {k: v.shape for k, v in m.state_dict().items()}
        m.load_state_dict({k: v.reshape(shapes.get(k, v.shape)) for k, v in self.state.items()})
        return m.train(self.training)

    def check(self, out):
        """(max |out - ref|, within tolerance) against nncc's output; (None, None) without one."""
        if self.ref is None:
            return None, None
        out = np.asarray(out, np.float64)
        if out.size != self.ref.size:
            return None, False
        diff = float(np.max(np.abs(out.reshape(self.ref.shape) - self.ref)))
        return diff, diff <= 1e-3 * max(1.0, float(np.max(np.abs(self.ref))))


def torch_call(w, compiled):
    """(call, reset, first output) running w on torch, eagerly or through torch.compile's default
    (Inductor) mode. For training, reset restores the state that the timed steps start from."""
    torch._dynamo.reset()  # Inductor bakes torch's thread count into the code it generates.
    model = w.model()
    x = torch.from_numpy(w.x)
    if not w.training:
        fn = torch.compile(model) if compiled else model
        call = lambda: fn(x).numpy()
        return call, None, call()
    # The first step's loss is checked; every timed step then starts from the state after it
    # (weights and momentum buffers), restored before each step as the C++ side does.
    opt = models.sgd(model)
    target = torch.from_numpy(w.target)
    step = torch.compile(models.train_step) if compiled else models.train_step
    call = lambda: step(model, opt, x, target).item()
    first = call()
    state = list(model.parameters()) + [opt.state[p]["momentum_buffer"] for p in model.parameters()]
    saved = [t.detach().clone() for t in state]

    def reset():
        with torch.no_grad():
            for t, s in zip(state, saved):
                t.copy_(s)
    return call, reset, first


def export_onnx(w, path):
    """Exports w's eval model with the dynamo exporter; weights inside the file."""
    torch.onnx.export(w.model(), (torch.from_numpy(w.x),), path, input_names=["x"],
                      output_names=["y"], external_data=False, verbose=False)


def ort_call(onnx_path, x, threads):
    import onnxruntime as ort  # here, so that a broken install is an n/a row, not a crash
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
    return lambda: sess.run(None, {"x": x})[0]


def iree_compile(onnx_path):
    """ONNX -> MLIR with IREE's ONNX importer, then a vmfb for llvm-cpu tuned for this CPU."""
    bindir = pathlib.Path(sys.executable).parent
    mlir, vmfb = onnx_path.with_suffix(".mlir"), onnx_path.with_suffix(".vmfb")
    for cmd in ([bindir / "iree-import-onnx", onnx_path, "-o", mlir],
                [bindir / "iree-compile", mlir, "--iree-hal-target-device=local",
                 "--iree-hal-local-target-device-backends=llvm-cpu",
                 "--iree-llvmcpu-target-cpu=host", "-o", vmfb]):
        r = subprocess.run(list(map(str, cmd)), capture_output=True, text=True)
        if r.returncode:
            lines = r.stderr.strip().splitlines() or ["?"]
            first_error = next((l for l in lines if "error:" in l), lines[-1])
            raise RuntimeError(f"{cmd[0].name} failed: {first_error}")
    return vmfb


def iree_child(jobs, threads, min_time):
    """Runs in a fresh process, since IREE's local-task driver sizes its worker pool once per
    process. One thread is the local-sync device (runs on the calling thread, no handoff to a
    worker, as ORT and torch do at one thread); n threads are local-task with n workers.
    jobs: [(name, vmfb path, input)]; returns {name: (output, reps_us) or n/a reason}."""
    import iree.runtime as rt  # here, so that a broken install is an n/a row, not a crash
    rt.flags.parse_flags(f"--task_topology_group_count={threads}")
    device = rt.get_device("local-sync" if threads == 1 else "local-task")
    out = {}
    for name, vmfb, x in jobs:
        try:
            ctx = rt.SystemContext(config=rt.Config(device=device))
            module = rt.VmModule.copy_buffer(ctx.instance, vmfb.read_bytes())
            ctx.add_vm_module(module)
            # The ONNX graph's one function (torch's exporter names it main_graph).
            entry = next(f for f in module.function_names if "$" not in f and f != "__init")
            fn = ctx.modules.module[entry]
            xd = rt.asdevicearray(device, x)  # uploaded once, as nncc's input buffer is
            call = lambda: fn(xd).to_host()
            out[name] = (call(), measure(call, min_time))
        except Exception as e:
            out[name] = reason(e)
    return out


def reason(e):
    """An exception as a one-line n/a reason."""
    lines = str(e).strip().splitlines()
    return f"{type(e).__name__}: {lines[0] if lines else ''}"[:200]


def row(w, peer, threads, result):
    """A peers.json result: result is (output, reps_us) or an n/a reason."""
    if isinstance(result, str):
        return {"workload": w.name, "peer": peer, "threads": threads, "na": result}
    out, reps = result
    diff, ok = w.check(out)
    return {"workload": w.name, "peer": peer, "threads": threads,
            "median_us": round(statistics.median(reps), 2), "reps_us": [round(r, 2) for r in reps],
            "max_abs_diff": diff, "ok": ok}


def run_workload(w, threads, min_time, tmp):
    """Rows of the in-process peers, plus the IREE job (vmfb path or n/a reason)."""
    rows = []
    torch.set_grad_enabled(w.training)
    for n in threads:
        torch.set_num_threads(n)
        for peer, compiled in (("torch_eager", False), ("torch_compile", True)):
            try:
                call, reset, out = torch_call(w, compiled)
                rows.append(row(w, peer, n, (out, measure(call, min_time, reset))))
            except Exception as e:
                rows.append(row(w, peer, n, reason(e)))
    if w.training:
        return rows + [row(w, p, n, r) for p, r in TRAIN_NA.items() for n in threads], None
    onnx_path = tmp / f"{w.name}.onnx"
    try:
        export_onnx(w, onnx_path)
    except Exception as e:
        na = "ONNX export failed: " + reason(e)
        return rows + [row(w, p, n, na) for p in ("onnxruntime", "iree") for n in threads], na
    for n in threads:
        try:
            call = ort_call(onnx_path, w.x, n)
            rows.append(row(w, "onnxruntime", n, (call(), measure(call, min_time))))
        except Exception as e:
            rows.append(row(w, "onnxruntime", n, reason(e)))
    try:
        return rows, iree_compile(onnx_path)
    except Exception as e:
        return rows, reason(e)


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    return {"cpu": cpu, "nproc": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "loadavg": os.getloadavg(), "kernel": platform.release(),
            "python": platform.python_version()}


def versions():
    out = {}
    for pkg in ("torch", "onnxruntime", "onnx", "onnxscript", "iree-base-compiler",
                "iree-base-runtime", "numpy"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=pathlib.Path, required=True)
    p.add_argument("--out", type=pathlib.Path, required=True)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--min-time", type=float, default=1.0,
                   help="seconds of timed calls per repetition (5 repetitions)")
    p.add_argument("--workloads", help="comma-separated; default: those with data in --data")
    a = p.parse_args()
    threads = [int(t) for t in a.threads.split(",")]
    present = [n for n in models.WORKLOADS if (a.data / f"{n}.safetensors").exists()]
    names = a.workloads.split(",") if a.workloads else present
    if missing := [n for n in names if n not in present]:
        p.error(f"no data in {a.data} for {', '.join(missing)}")
    torch.set_num_interop_threads(1)
    # torch's warnings about what this CPU-only setup lacks (triton, CUDA, torchvision ops).
    logging.getLogger("torch").setLevel(logging.ERROR)
    info = {"machine": machine(), "versions": versions(), "results": []}
    loaded, iree_jobs = {}, {}
    with tempfile.TemporaryDirectory(prefix="nncc-peers-") as tmp:
        for name in names:
            print(f"run_peers: {name}", file=sys.stderr, flush=True)
            w = loaded[name] = Workload(name, a.data)
            rows, iree_jobs[name] = run_workload(w, threads, a.min_time, pathlib.Path(tmp))
            info["results"] += rows
        ready = [(n, v, loaded[n].x) for n, v in iree_jobs.items() if isinstance(v, pathlib.Path)]
        for n in threads:
            print(f"run_peers: iree, {n} threads", file=sys.stderr, flush=True)
            done = {}
            if ready:
                spawn = multiprocessing.get_context("spawn")
                with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                    try:
                        done = pool.submit(iree_child, ready, n, a.min_time).result()
                    except Exception as e:  # the worker crashed
                        done = {name: "IREE worker: " + reason(e) for name, _, _ in ready}
            for name, job in iree_jobs.items():
                if name in done or isinstance(job, str):
                    info["results"].append(row(loaded[name], "iree", n, done.get(name, job)))
    info["machine"]["loadavg_end"] = os.getloadavg()
    order = {n: i for i, n in enumerate(models.WORKLOADS)}
    info["results"].sort(key=lambda r: (order[r["workload"]], r["threads"]))
    a.out.write_text(json.dumps(info, indent=1) + "\n")
    print(f"run_peers: wrote {len(info['results'])} results to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
