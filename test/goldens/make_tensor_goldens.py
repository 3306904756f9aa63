"""Goldens for the tensor manipulation ops (reshape, view, permute, transpose, narrow, chunk,
cat, sub, div, arithmetic with Python numbers), from PyTorch 1.13.

Writes test/goldens/tensor/shuffle/: input.npy, output.npy, weights.safetensors; and
test/goldens/tensor/lazy/ for a Sequential with a LazyLinear built after torch.manual_seed(12):
its input, output, the weights it materialized, and its repr after the first forward; and
test/goldens/tensor/embedding/ for Embedding(10, 4, padding_idx=0) + Linear(4, 3) built after
torch.manual_seed(14), with int64 ids (ids.npy); and test/goldens/tensor/bilinear/ for
Bilinear(5, 3, 4) after torch.manual_seed(15) on two inputs; and test/goldens/tensor/layout/ for
Layout (below) after torch.manual_seed(17), whose shapes take the CPU kernels' layout paths.
Rerun with:

    /usr/bin/python3 test/goldens/make_tensor_goldens.py
"""
import os

import numpy as np
import torch
from torch import nn

from make_goldens import HERE, save_npy, write_safetensors


class Shuffle(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, 12)

    def forward(self, x):  # x: [2, 3, 4]
        h = self.fc(x.reshape(2, 12))
        a, b, c = h.chunk(3, 1)
        t = torch.cat([c, a * 0.5, b - 1.0], 0)
        q = t.reshape(2, 3, 4).permute(2, 0, 1).transpose(0, 2).narrow(0, 1, 2)
        r = (q / 2.0 - (1.0 - q)) * -q + q / (q * q + 1.0)
        return r + h.view(2, 3, 4).narrow(1, 0, 2).permute(1, 0, 2)


class Layout(nn.Module):
    """Shapes that reach nncc's CPU layout paths: a stride-2 convolution 24 wide (vectors of 8, not
    16, each loaded as two and a shuffle), a transpose that moves the innermost dimension (8x8
    register blocks), and a Linear over 576 rows (its weight transposed once for the outer-product
    kernel)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 8, 3, stride=2, padding=1)
        self.fc = nn.Linear(8, 16)

    def forward(self, x):  # x: [1, 4, 48, 48]
        return self.fc(self.conv(x).flatten(2).permute(0, 2, 1))


def layout():
    directory = os.path.join(HERE, "tensor", "layout")
    os.makedirs(directory, exist_ok=True)
    torch.manual_seed(17)
    model = Layout()
    x = torch.randn(1, 4, 48, 48)
    with torch.no_grad():
        save_npy(os.path.join(directory, "input.npy"), x)
        save_npy(os.path.join(directory, "output.npy"), model(x))
    write_safetensors(os.path.join(directory, "weights.safetensors"), model.state_dict())


def main():
    torch.manual_seed(11)
    model = Shuffle()
    directory = os.path.join(HERE, "tensor", "shuffle")
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "weights.safetensors"), model.state_dict())
    x = torch.randn(2, 3, 4)
    with torch.no_grad():
        save_npy(os.path.join(directory, "input.npy"), x)
        save_npy(os.path.join(directory, "output.npy"), model(x))


def lazy():
    directory = os.path.join(HERE, "tensor", "lazy")
    os.makedirs(directory, exist_ok=True)
    x = torch.randn(3, 10, generator=torch.Generator().manual_seed(13))
    torch.manual_seed(12)
    model = nn.Sequential(nn.LazyLinear(16), nn.ReLU(), nn.Linear(16, 4))
    with torch.no_grad():
        y = model(x)
    save_npy(os.path.join(directory, "input.npy"), x)
    save_npy(os.path.join(directory, "output.npy"), y)
    write_safetensors(os.path.join(directory, "weights.safetensors"), model.state_dict())
    with open(os.path.join(directory, "repr.txt"), "w") as f:
        f.write(repr(model))


def embedding():
    directory = os.path.join(HERE, "tensor", "embedding")
    os.makedirs(directory, exist_ok=True)
    torch.manual_seed(14)
    model = nn.Sequential(nn.Embedding(10, 4, padding_idx=0), nn.Linear(4, 3))
    ids = torch.tensor([[1, 0, 9], [3, 3, 2]], dtype=torch.int64)
    with torch.no_grad():
        y = model(ids)
    np.save(os.path.join(directory, "ids.npy"), ids.numpy(), allow_pickle=False)
    save_npy(os.path.join(directory, "output.npy"), y)
    write_safetensors(os.path.join(directory, "weights.safetensors"), model.state_dict())
    with open(os.path.join(directory, "repr.txt"), "w") as f:
        f.write(repr(model))


def bilinear():
    directory = os.path.join(HERE, "tensor", "bilinear")
    os.makedirs(directory, exist_ok=True)
    torch.manual_seed(15)
    model = nn.Bilinear(5, 3, 4)
    g = torch.Generator().manual_seed(16)
    x1, x2 = torch.randn(6, 5, generator=g), torch.randn(6, 3, generator=g)
    with torch.no_grad():
        y = model(x1, x2)
    save_npy(os.path.join(directory, "input1.npy"), x1)
    save_npy(os.path.join(directory, "input2.npy"), x2)
    save_npy(os.path.join(directory, "output.npy"), y)
    write_safetensors(os.path.join(directory, "weights.safetensors"), model.state_dict())


if __name__ == "__main__":
    main()
    lazy()
    embedding()
    bilinear()
    layout()
