"""Goldens for the activations, softmax/log_softmax, LayerNorm and GroupNorm, from PyTorch 1.13.

Writes test/goldens/activation/<case>/: input.npy, output.npy and, for modules with parameters,
weights.safetensors (random, non-trivial affine weights). Rerun with:

    /usr/bin/python3 test/goldens/make_activation_goldens.py
"""
import os

import torch
from torch import nn

from make_goldens import HERE, save_npy, write_safetensors

OUT = os.path.join(HERE, "activation")


def case(name, module, x, seed=0):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5 + 1.0)
    directory = os.path.join(OUT, name)
    os.makedirs(directory, exist_ok=True)
    module.eval()
    with torch.no_grad():
        y = module(x)
    save_npy(os.path.join(directory, "input.npy"), x)
    save_npy(os.path.join(directory, "output.npy"), y)
    if len(module.state_dict()):
        write_safetensors(os.path.join(directory, "weights.safetensors"), module.state_dict())


class Block(nn.Module):
    """Linear -> GELU(tanh) -> Linear -> residual -> LayerNorm, as in a Transformer's MLP."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.act = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(16, 8)
        self.norm = nn.LayerNorm(8)

    def forward(self, x):
        return self.norm(x + self.fc2(self.act(self.fc1(x))))


def main():
    g = torch.Generator().manual_seed(21)
    wide = torch.cat([torch.linspace(-6, 6, 25), torch.tensor([-30.0, -10.0, 0.0, 10.0, 30.0])]).reshape(5, 6)
    for name, module in [("sigmoid", nn.Sigmoid()), ("tanh", nn.Tanh()), ("silu", nn.SiLU()),
                         ("hardswish", nn.Hardswish()), ("leaky_relu", nn.LeakyReLU(0.2)),
                         ("gelu", nn.GELU()), ("gelu_tanh", nn.GELU(approximate="tanh"))]:
        case(name, module, wide)
    x3 = torch.randn(3, 4, 5, generator=g) * 4
    x3[0, 0, 0] = 40.0
    for dim in [0, 1, -1]:
        case(f"softmax_dim{dim}", nn.Softmax(dim), x3)
        case(f"log_softmax_dim{dim}", nn.LogSoftmax(dim), x3)
    # exp overflows float32 above ~88: only the max-subtracted form gets these rows right.
    huge = torch.tensor([[100.0, 99.0, 90.0, -100.0], [-300.0, -301.0, -310.0, -299.5],
                         [500.0, 0.0, -500.0, 500.0]])
    case("softmax_large", nn.Softmax(-1), huge)
    case("log_softmax_large", nn.LogSoftmax(1), huge)
    xn = torch.randn(2, 3, 4, generator=g) * 3 + 1
    case("layer_norm_last1", nn.LayerNorm(4), xn, 1)
    case("layer_norm_last2", nn.LayerNorm([3, 4], eps=1e-3), xn, 2)
    case("layer_norm_no_affine", nn.LayerNorm(4, elementwise_affine=False), xn)
    xg = torch.randn(2, 8, 3, 3, generator=g) * 2 - 1
    for groups in [1, 2, 4]:
        case(f"group_norm_{groups}", nn.GroupNorm(groups, 8), xg, 3 + groups)
    case("group_norm_no_affine", nn.GroupNorm(2, 8, affine=False), xg)
    case("group_norm_2d", nn.GroupNorm(3, 6), torch.randn(4, 6, generator=g), 9)
    torch.manual_seed(22)
    case("block", Block(), torch.randn(5, 8, generator=g), 10)


if __name__ == "__main__":
    main()
