"""Writes the PyTorch goldens that nncc's tests compare against.

Run from anywhere with the Python that has torch 1.13 (CPU) and numpy:

    /usr/bin/python3 test/goldens/make_goldens.py

It rewrites, next to this script, deterministically:

  rng/     torch's CPU generator after torch.manual_seed(s) for a few seeds:
           uniform_, normal_ (the scalar path below 16 elements and the
           16-at-a-time path from 16 up, odd sizes included), kaiming_*,
           xavier_* on 2-D and 4-D tensors, and nn.Linear(5, 3)'s default
           init. manifest.json lists every step in order, so a test can
           replay the same calls and compare each .npy (float32) exactly.
  mlp/     the example MLP built right after torch.manual_seed(0): its input
           (torch.manual_seed(1); torch.rand(2, 784)), its eval-mode output,
           probe.json (per state_dict key: shape, first 8 values, exact fsum
           in float64) and repr.txt. The 2.7 MB of weights are not written:
           nncc rebuilds them from the seed, and the probe proves it did.
  custom/  a user-defined module (ModuleList, ModuleDict, a buffer) built
           after torch.manual_seed(3): weights.safetensors, input.npy
           (torch.manual_seed(4); torch.randn(4, 2, 8)), output.npy,
           state_dict_keys.txt and repr.txt.

The values come from torch's AVX2 CPU kernels (normal_ of 16 or more float32
elements differs under ATEN_CPU_CAPABILITY=default); leave that variable unset.
"""

import json
import math
import os
import struct

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def save_npy(path, tensor):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, tensor.detach().numpy().astype(np.float32), allow_pickle=False)


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def write_safetensors(path, state_dict):
    """The safetensors layout, without the pip package: u64 LE header size,
    a JSON header of {name: {dtype, shape, data_offsets}} padded with spaces
    to a multiple of 8, then the F32 data in state_dict order."""
    header, blobs, offset = {}, [], 0
    for name, tensor in state_dict.items():
        data = tensor.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


# Each step: (name, op, shape, keyword arguments as nncc's C++ API takes them).
RNG_STEPS = [
    ("uniform_7", "uniform_", [7], {"a": 0.0, "b": 1.0}),
    ("uniform_16", "uniform_", [16], {"a": -2.5, "b": 3.25}),
    ("uniform_3x17", "uniform_", [3, 17], {"a": 0.0, "b": 1.0}),
    ("kaiming_uniform_12x20", "kaiming_uniform_", [12, 20],
     {"a": math.sqrt(5), "mode": "fan_in", "nonlinearity": "leaky_relu"}),
    ("kaiming_uniform_8x4x3x3", "kaiming_uniform_", [8, 4, 3, 3],
     {"a": 0.0, "mode": "fan_out", "nonlinearity": "relu"}),
    ("xavier_uniform_10x6", "xavier_uniform_", [10, 6], {"gain": 1.0}),
    ("xavier_uniform_5x7_tanh", "xavier_uniform_", [5, 7], {"gain": 5.0 / 3}),
    ("normal_5", "normal_", [5], {"mean": 0.0, "std": 1.0}),
    ("normal_9", "normal_", [9], {"mean": 0.5, "std": 2.0}),
    ("normal_16", "normal_", [16], {"mean": 0.0, "std": 1.0}),
    ("normal_37", "normal_", [37], {"mean": 1.5, "std": 0.25}),
    ("normal_4x100", "normal_", [4, 100], {"mean": 0.0, "std": 1.0}),
    ("kaiming_normal_6x5", "kaiming_normal_", [6, 5],
     {"a": 0.0, "mode": "fan_in", "nonlinearity": "relu"}),
    ("xavier_normal_3x4", "xavier_normal_", [3, 4], {"gain": 1.0}),
]
RNG_SEEDS = [0, 42]


def run_rng_step(op, shape, kw):
    t = torch.empty(shape)
    init = nn.init
    if op == "uniform_":
        return t.uniform_(kw["a"], kw["b"])
    if op == "normal_":
        return t.normal_(kw["mean"], kw["std"])
    if op == "kaiming_uniform_":
        return init.kaiming_uniform_(t, kw["a"], kw["mode"], kw["nonlinearity"])
    if op == "kaiming_normal_":
        return init.kaiming_normal_(t, kw["a"], kw["mode"], kw["nonlinearity"])
    if op == "xavier_uniform_":
        return init.xavier_uniform_(t, kw["gain"])
    if op == "xavier_normal_":
        return init.xavier_normal_(t, kw["gain"])
    raise ValueError(op)


def make_rng():
    cases = []
    for seed in RNG_SEEDS:
        torch.manual_seed(seed)
        steps = []
        for name, op, shape, kw in RNG_STEPS:
            file = "seed%d_%s.npy" % (seed, name)
            save_npy(os.path.join(HERE, "rng", file), run_rng_step(op, shape, kw))
            steps.append({"file": file, "op": op, "shape": shape, "args": kw})
        torch.manual_seed(seed)
        linear = nn.Linear(5, 3)
        for part in ("weight", "bias"):
            save_npy(os.path.join(HERE, "rng", "seed%d_linear5x3_%s.npy" % (seed, part)),
                     getattr(linear, part))
        cases.append({"seed": seed, "steps": steps,
                      "linear5x3": {"weight": "seed%d_linear5x3_weight.npy" % seed,
                                    "bias": "seed%d_linear5x3_bias.npy" % seed}})
    write_text(os.path.join(HERE, "rng", "manifest.json"),
               json.dumps({"torch": torch.__version__, "cases": cases}, indent=1,
                          sort_keys=True) + "\n")


def make_mlp():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                          nn.Linear(512, 10))
    torch.manual_seed(1)
    x = torch.rand(2, 784)
    model.eval()
    with torch.no_grad():
        y = model(x)
    out = os.path.join(HERE, "mlp")
    save_npy(os.path.join(out, "input.npy"), x)
    save_npy(os.path.join(out, "output.npy"), y)
    probe = {}
    for key, tensor in model.state_dict().items():
        values = tensor.detach().numpy().astype(np.float64).ravel()
        probe[key] = {"shape": list(tensor.shape), "first8": values[:8].tolist(),
                      "fsum": math.fsum(values.tolist())}
    write_text(os.path.join(out, "probe.json"), json.dumps(probe, indent=1) + "\n")
    write_text(os.path.join(out, "repr.txt"), repr(model) + "\n")


class Custom(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(16, 32), nn.Linear(32, 32)])
        self.heads = nn.ModuleDict({"a": nn.Linear(32, 8), "b": nn.Linear(32, 8, bias=False)})
        self.act = nn.ReLU()
        self.register_buffer("scale", torch.linspace(0.5, 2.0, 8))

    def forward(self, x):  # x: [4, 2, 8]
        h = torch.flatten(x, 1)
        for blk in self.blocks:
            h = self.act(blk(h))
        a = self.heads["a"](h)
        return (a + self.heads["b"](h) * a) * self.scale


def make_custom():
    torch.manual_seed(3)
    model = Custom()
    torch.manual_seed(4)
    x = torch.randn(4, 2, 8)
    model.eval()
    with torch.no_grad():
        y = model(x)
    out = os.path.join(HERE, "custom")
    os.makedirs(out, exist_ok=True)
    state = model.state_dict()
    write_safetensors(os.path.join(out, "weights.safetensors"), state)
    save_npy(os.path.join(out, "input.npy"), x)
    save_npy(os.path.join(out, "output.npy"), y)
    write_text(os.path.join(out, "state_dict_keys.txt"), "".join(k + "\n" for k in state))
    write_text(os.path.join(out, "repr.txt"), repr(model) + "\n")


if __name__ == "__main__":
    torch.set_num_threads(1)
    make_rng()
    make_mlp()
    make_custom()
