"""Writes the PyTorch goldens of nncc's hook tests.

Run with the Python that has torch 1.13 (CPU) and numpy:

    /usr/bin/python3 test/goldens/make_hook_goldens.py

It rewrites hook/ next to this script, deterministically. The model is
Sequential(Conv2d(3, 4, 3, padding=1), ReLU(), Flatten(), Linear(64, 5)) in
eval mode, built after torch.manual_seed(7); the input is
torch.manual_seed(8); torch.randn(2, 3, 4, 4).

  weights.safetensors, input.npy, output.npy   the model without hooks
  capture_0.npy, capture_1.npy    feature maps a forward hook on "0" and on
                                  "1" captured (the output of each)
  replaced.npy     the output when a forward hook on "1" returns 2*y + 0.5
  prescaled.npy    the output when a forward pre-hook on "3" returns 0.5*x
  grad/            out.sum().backward() with gradient hooks:
                   - a backward pre-hook on "3" that doubles grad_output;
                   - a full backward hook on "1" that records grad_input
                     and grad_output (relu_grad_input.npy,
                     relu_grad_output.npy);
                   - a hook on parameter "0.weight" that records its
                     gradient (weight_grad_seen.npy) and halves it;
                   then every parameter's .grad (<key>.npy).

torch 1.13 has no register_full_backward_pre_hook (it came in 2.0); the
pre-hook is what it does there: a hook on the module's output tensor,
registered from a forward hook, that replaces the output's gradient.
"""

import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_goldens import save_npy, write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hook")


def build():
    torch.manual_seed(7)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(64, 5))
    return model.eval()


def main():
    model = build()
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(8)
    x = torch.randn(2, 3, 4, 4)
    write_safetensors(os.path.join(OUT, "weights.safetensors"), model.state_dict())
    save_npy(os.path.join(OUT, "input.npy"), x)
    with torch.no_grad():
        save_npy(os.path.join(OUT, "output.npy"), model(x))

        captured = {}
        handles = [model[i].register_forward_hook(
            lambda m, inp, out, i=i: captured.__setitem__(i, out.clone())) for i in (0, 1)]
        model(x)
        for h in handles:
            h.remove()
        for i in (0, 1):
            save_npy(os.path.join(OUT, "capture_%d.npy" % i), captured[i])

        h = model[1].register_forward_hook(lambda m, inp, out: 2 * out + 0.5)
        save_npy(os.path.join(OUT, "replaced.npy"), model(x))
        h.remove()

        h = model[3].register_forward_pre_hook(lambda m, inp: (0.5 * inp[0],))
        save_npy(os.path.join(OUT, "prescaled.npy"), model(x))
        h.remove()

    grad_dir = os.path.join(OUT, "grad")

    def double_grad_output(module, inp, out):
        out.register_hook(lambda g: 2 * g)

    def record_relu(module, grad_input, grad_output):
        save_npy(os.path.join(grad_dir, "relu_grad_input.npy"), grad_input[0])
        save_npy(os.path.join(grad_dir, "relu_grad_output.npy"), grad_output[0])

    def halve_weight_grad(g):
        save_npy(os.path.join(grad_dir, "weight_grad_seen.npy"), g)
        return 0.5 * g

    model[3].register_forward_hook(double_grad_output)
    model[1].register_full_backward_hook(record_relu)
    model[0].weight.register_hook(halve_weight_grad)
    model.zero_grad()
    model(x).sum().backward()
    for key, param in model.named_parameters():
        save_npy(os.path.join(grad_dir, key + ".npy"), param.grad)


if __name__ == "__main__":
    main()
