"""Writes a data directory in the C++ bench's format, from torch eager, to run the peers alone.

For each workload: <name>.safetensors (the state_dict), <name>.input.npy and <name>.output.npy;
for training workloads <name>.target.npy and <name>.loss.npy (the first step's loss) instead of
the output. Weights are torch's default init after torch.manual_seed(0); BatchNorm's affine
parameters and running statistics are randomized so that folding them is actually checked.

Usage: python make_data.py DIR
"""
import pathlib
import sys

import numpy as np
import torch
from safetensors.torch import save_file

import models


def main(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, (factory, shape) in models.WORKLOADS.items():
        torch.manual_seed(0)
        model = factory()
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                with torch.no_grad():
                    for t in (m.weight, m.bias, m.running_mean):
                        t.uniform_(-0.5, 0.5)
                    m.running_var.uniform_(0.5, 1.5)
        rng = np.random.default_rng(1234)
        x = rng.standard_normal(shape, dtype=np.float32)
        save_file({k: v.contiguous() for k, v in model.state_dict().items()},
                  out / f"{name}.safetensors")
        np.save(out / f"{name}.input.npy", x)
        if models.is_training(name):
            target = rng.integers(0, 10, shape[0], dtype=np.int64)
            loss = models.train_step(model, models.sgd(model), torch.from_numpy(x),
                                     torch.from_numpy(target))
            np.save(out / f"{name}.target.npy", target)
            np.save(out / f"{name}.loss.npy", np.float32(loss.item()))
        else:
            with torch.no_grad():
                np.save(out / f"{name}.output.npy", model.eval()(torch.from_numpy(x)).numpy())
    print(f"make_data: wrote {len(models.WORKLOADS)} workloads to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
