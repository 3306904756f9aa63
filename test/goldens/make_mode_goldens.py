"""Goldens for the mode-dependent layers (BatchNorm1d/2d, Dropout), from PyTorch 1.13.

Writes test/goldens/mode/<case>/: input.npy, output.npy, weights.safetensors (the
state_dict before the forward, with non-trivial statistics) and, for train-mode
cases, state_after.safetensors (the state_dict after one forward: updated
running statistics and num_batches_tracked). Rerun with:

    /usr/bin/python3 test/goldens/make_mode_goldens.py
"""
import os

import torch
from torch import nn

from make_goldens import HERE, save_npy, write_safetensors

OUT = os.path.join(HERE, "mode")


def randomize(module, seed):
    """Non-trivial affine parameters and running statistics."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5 + (1.0 if name.endswith("weight") else 0.0))
        for name, b in module.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(torch.randn(b.shape, generator=g) * 0.3)
            elif name.endswith("running_var"):
                b.copy_(torch.rand(b.shape, generator=g) + 0.5)
            elif name.endswith("num_batches_tracked"):
                b.fill_(3)


def case(name, module, shape, training, seed):
    randomize(module, seed)
    directory = os.path.join(OUT, name)
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "weights.safetensors"), module.state_dict())
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed + 1000)) * 2 + 0.5
    module.train(training)
    with torch.no_grad():
        y = module(x)
    save_npy(os.path.join(directory, "input.npy"), x)
    save_npy(os.path.join(directory, "output.npy"), y)
    if training:
        write_safetensors(os.path.join(directory, "state_after.safetensors"), module.state_dict())


def main():
    case("bn2d_eval", nn.BatchNorm2d(4), [2, 4, 3, 3], False, 1)
    case("bn2d_train", nn.BatchNorm2d(4), [2, 4, 3, 3], True, 2)
    case("bn2d_train_cumulative", nn.BatchNorm2d(3, momentum=None), [4, 3, 2, 5], True, 3)
    case("bn2d_train_no_affine", nn.BatchNorm2d(4, affine=False, momentum=0.3), [3, 4, 2, 2], True, 4)
    case("bn2d_no_running_stats_eval", nn.BatchNorm2d(4, track_running_stats=False), [2, 4, 3, 3], False, 5)
    case("bn1d_train_2d", nn.BatchNorm1d(5), [6, 5], True, 6)
    case("bn1d_eval_3d", nn.BatchNorm1d(3, eps=1e-3), [2, 3, 4], False, 7)
    case("bn1d_train_3d", nn.BatchNorm1d(3), [2, 3, 4], True, 8)
    torch.manual_seed(9)
    case("mlp_bn_dropout_eval",
         nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 4)),
         [5, 8], False, 9)
    torch.manual_seed(10)
    case("mlp_bn_train",
         nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 4)),
         [5, 8], True, 10)


if __name__ == "__main__":
    main()
