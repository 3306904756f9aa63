"""Goldens for training (backward, losses, optimizers), from PyTorch 1.13.

Rerun with the Python that has torch 1.13 (CPU) and numpy:

    /usr/bin/python3 test/goldens/make_train_goldens.py

It rewrites test/goldens/train/ deterministically (one thread; model init after
torch.manual_seed(seed), data from torch.Generator().manual_seed(seed + 100)):

  <case>/ for the four whole models, all run in train mode:
      mlp            Linear(16,32)-ReLU-Linear(32,32)-ReLU-Linear(32,5), input [8,16],
                     CrossEntropyLoss (mean), class targets in [0,5); seed 200
      cnn            make_conv_goldens.cnn() (Conv-BN-ReLU-Conv-BN-ReLU-AdaptiveAvgPool-
                     Flatten-Linear(16,10)), input [4,3,16,16], CrossEntropyLoss (mean),
                     class targets in [0,10); seed 201
      resnet_blocks  Sequential(BasicBlock(8), BasicBlock(8)) from make_conv_goldens,
                     input [2,8,8,8], MSELoss (mean) against a randn target; seed 202
      encoder_layer  TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0,
                     batch_first=True) (relu), input [2,5,8], MSELoss (mean) against a
                     randn target; seed 203
    Each holds:
      weights.safetensors    the initial state_dict (parameters and buffers)
      input.npy              float32
      target.npy             int64 class indices (cross entropy) or float32 (MSE)
      loss.npy               the loss of the first forward, float32 of shape []
      grads.safetensors      p.grad of every parameter after one forward + backward from
                             the initial weights, keyed by its state_dict name
      sgd_after.safetensors  the state_dict (BN statistics included) after 3 steps of
                             SGD(lr=0.1, momentum=0.9, dampening=0, nesterov=False,
                             weight_decay=1e-4) from the initial weights; each step is
                             zero_grad, forward, loss, backward, step on the same batch
      adamw_after.safetensors  the same with AdamW(lr=1e-2, betas=(0.9, 0.999), eps=1e-8,
                             weight_decay=1e-2)
      sgd_losses.npy, adamw_losses.npy  the 3 losses seen during those steps, float32 [3]
      case.json              the loss, both optimizers' settings and the shapes
  mlp_sgd, mlp_sgd_nesterov, mlp_sgd_dampening, mlp_adam/  the mlp case (same weights,
    input and target) under one more optimizer setting each: weights.safetensors,
    input.npy, target.npy, after.safetensors (state_dict after 3 steps), losses.npy and
    optimizer.json (the exact settings).
  losses/<case>/  one loss function on its own: input.npy, target.npy, weight.npy or
    pos_weight.npy where used, loss.npy (the loss; shaped like the input for
    reduction="none") and grad.npy (d loss / d input; loss.sum() is differentiated for
    reduction="none"), and case.json (the loss and its arguments). NLLLoss's input is
    log_softmax of a randn tensor, taken as the leaf. Data seeds 400, 401, ... in list order.

Like every writer here, write_safetensors stores all tensors as F32, so BatchNorm's int64
num_batches_tracked is the F32 scalar of shape [] (0 in weights, 3 after the 3 steps).
"""
import json
import os

import numpy as np
import torch
from torch import nn

from make_conv_goldens import BasicBlock, cnn
from make_goldens import HERE, save_npy, write_safetensors, write_text

OUT = os.path.join(HERE, "train")
STEPS = 3

SGD = {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.0, "nesterov": False,
       "weight_decay": 1e-4}
ADAMW = {"kind": "adamw", "lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 1e-2,
         "amsgrad": False}
MLP_EXTRA = [
    ("mlp_sgd", {"kind": "sgd", "lr": 0.1, "momentum": 0.0, "dampening": 0.0, "nesterov": False,
                 "weight_decay": 0.0}),
    ("mlp_sgd_nesterov", {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.0,
                          "nesterov": True, "weight_decay": 0.0}),
    ("mlp_sgd_dampening", {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.5,
                           "nesterov": False, "weight_decay": 0.0}),
    ("mlp_adam", {"kind": "adam", "lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8,
                  "weight_decay": 1e-3, "amsgrad": False}),
]


def save_int64(path, tensor):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, tensor.detach().numpy().astype(np.int64), allow_pickle=False)


def save_target(path, tensor):
    (save_int64 if tensor.dtype == torch.int64 else save_npy)(path, tensor)


def write_json(path, obj):
    write_text(path, json.dumps(obj, indent=1, sort_keys=True) + "\n")


def make_optimizer(params, opt):
    if opt["kind"] == "sgd":
        return torch.optim.SGD(params, lr=opt["lr"], momentum=opt["momentum"],
                               dampening=opt["dampening"], nesterov=opt["nesterov"],
                               weight_decay=opt["weight_decay"])
    cls = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[opt["kind"]]
    return cls(params, lr=opt["lr"], betas=tuple(opt["betas"]), eps=opt["eps"],
               weight_decay=opt["weight_decay"], amsgrad=opt["amsgrad"])


def loss_fn(kind):
    return {"cross_entropy": nn.CrossEntropyLoss(), "mse": nn.MSELoss()}[kind]


def clone_state(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def train(module, initial, x, target, loss_kind, opt):
    """STEPS optimizer steps from `initial` on one batch; the state_dict after and the losses."""
    module.load_state_dict(initial)
    module.train()
    optimizer = make_optimizer(module.parameters(), opt)
    criterion = loss_fn(loss_kind)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = criterion(module(x), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return clone_state(module), torch.tensor(losses, dtype=torch.float32)


MODELS = [
    # name, builder, seed, input shape, loss, number of classes (cross entropy)
    ("mlp", lambda: nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                  nn.Linear(32, 5)), 200, [8, 16], "cross_entropy", 5),
    ("cnn", cnn, 201, [4, 3, 16, 16], "cross_entropy", 10),
    ("resnet_blocks", lambda: nn.Sequential(BasicBlock(8), BasicBlock(8)), 202, [2, 8, 8, 8],
     "mse", None),
    ("encoder_layer", lambda: nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0,
                                                         batch_first=True),
     203, [2, 5, 8], "mse", None),
]


# Parameters frozen (requires_grad=False) in a case: their true gradient is zero (a conv bias
# before BatchNorm, the key projection's bias under softmax), so their float gradient is rounding
# noise that Adam's normalization would blow up into full steps. Freezing them also covers
# frozen parameters.
FROZEN = {"cnn": ["0.bias", "3.bias"], "encoder_layer": ["self_attn.in_proj_bias"]}


def make_model_case(name, build, seed, shape, loss_kind, classes):
    torch.manual_seed(seed)
    module = build()
    for key in FROZEN.get(name, []):
        dict(module.named_parameters())[key].requires_grad_(False)
    initial = clone_state(module)
    g = torch.Generator().manual_seed(seed + 100)
    x = torch.randn(shape, generator=g)
    if loss_kind == "cross_entropy":
        target = torch.randint(0, classes, (shape[0],), generator=g, dtype=torch.int64)
    else:
        with torch.no_grad():
            out_shape = module.train()(x).shape
        module.load_state_dict(initial)  # that forward moved the BN statistics
        target = torch.randn(out_shape, generator=g)

    directory = os.path.join(OUT, name)
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "weights.safetensors"), initial)
    save_npy(os.path.join(directory, "input.npy"), x)
    save_target(os.path.join(directory, "target.npy"), target)

    # One forward + backward from the initial weights.
    module.load_state_dict(initial)
    module.train()
    module.zero_grad(set_to_none=True)
    loss = loss_fn(loss_kind)(module(x), target)
    loss.backward()
    save_npy(os.path.join(directory, "loss.npy"), loss)
    params = dict(module.named_parameters())
    grads = {k: params[k].grad for k in module.state_dict() if k in params and params[k].requires_grad}
    assert all(g is not None for g in grads.values()), name
    write_safetensors(os.path.join(directory, "grads.safetensors"), grads)

    for prefix, opt in (("sgd", SGD), ("adamw", ADAMW)):
        state, losses = train(module, initial, x, target, loss_kind, opt)
        assert losses[0].item() == loss.item(), (name, prefix)
        write_safetensors(os.path.join(directory, prefix + "_after.safetensors"), state)
        save_npy(os.path.join(directory, prefix + "_losses.npy"), losses)
    write_json(os.path.join(directory, "case.json"),
               {"loss": loss_kind, "sgd": SGD, "adamw": ADAMW, "steps": STEPS,
                "input_shape": list(x.shape), "target_shape": list(target.shape),
                "target_dtype": "int64" if target.dtype == torch.int64 else "float32",
                "seed": seed, "data_seed": seed + 100, "frozen": FROZEN.get(name, [])})

    if name == "mlp":
        for extra, opt in MLP_EXTRA:
            state, losses = train(module, initial, x, target, loss_kind, opt)
            d = os.path.join(OUT, extra)
            os.makedirs(d, exist_ok=True)
            write_safetensors(os.path.join(d, "weights.safetensors"), initial)
            save_npy(os.path.join(d, "input.npy"), x)
            save_target(os.path.join(d, "target.npy"), target)
            write_safetensors(os.path.join(d, "after.safetensors"), state)
            save_npy(os.path.join(d, "losses.npy"), losses)
            write_json(os.path.join(d, "optimizer.json"), dict(opt, steps=STEPS, loss=loss_kind))


# name, loss kind, constructor arguments (weight / pos_weight given as data below)
LOSSES = [
    ("mse_mean", "mse", {"reduction": "mean"}),
    ("mse_sum", "mse", {"reduction": "sum"}),
    ("mse_none", "mse", {"reduction": "none"}),
    ("l1_mean", "l1", {"reduction": "mean"}),
    ("l1_sum", "l1", {"reduction": "sum"}),
    ("l1_none", "l1", {"reduction": "none"}),
    ("cross_entropy_mean", "cross_entropy", {"reduction": "mean"}),
    ("cross_entropy_weight", "cross_entropy", {"reduction": "mean", "weight": True}),
    ("cross_entropy_ignore_index", "cross_entropy", {"reduction": "mean", "ignore_index": 1}),
    ("cross_entropy_label_smoothing", "cross_entropy", {"reduction": "mean", "label_smoothing": 0.1}),
    ("cross_entropy_sum", "cross_entropy", {"reduction": "sum"}),
    ("nll_mean", "nll", {"reduction": "mean"}),
    ("nll_weight", "nll", {"reduction": "mean", "weight": True}),
    ("bce_with_logits_mean", "bce_with_logits", {"reduction": "mean"}),
    ("bce_with_logits_pos_weight", "bce_with_logits", {"reduction": "mean", "pos_weight": True}),
    ("bce_with_logits_sum", "bce_with_logits", {"reduction": "sum"}),
]
LOSS_SHAPE = [6, 4]


def make_loss_case(name, kind, args, seed):
    g = torch.Generator().manual_seed(seed)
    n, c = LOSS_SHAPE
    x = torch.randn(LOSS_SHAPE, generator=g)
    if kind == "nll":
        x = torch.log_softmax(x, dim=1)
    x = x.detach().requires_grad_(True)
    if kind in ("cross_entropy", "nll"):
        target = torch.randint(0, c, (n,), generator=g, dtype=torch.int64)
        target[2] = 1  # class 1 (the ignore_index case's) occurs at least once
    elif kind == "bce_with_logits":
        target = torch.rand(LOSS_SHAPE, generator=g)
    else:
        target = torch.randn(LOSS_SHAPE, generator=g)
    kwargs = {k: v for k, v in args.items() if k not in ("weight", "pos_weight")}
    data = {}
    if args.get("weight"):
        data["weight"] = kwargs["weight"] = torch.rand(c, generator=g) + 0.5
    if args.get("pos_weight"):
        data["pos_weight"] = kwargs["pos_weight"] = torch.rand(c, generator=g) * 2 + 0.5
    cls = {"mse": nn.MSELoss, "l1": nn.L1Loss, "cross_entropy": nn.CrossEntropyLoss,
           "nll": nn.NLLLoss, "bce_with_logits": nn.BCEWithLogitsLoss}[kind]
    loss = cls(**kwargs)(x, target)
    (loss.sum() if args["reduction"] == "none" else loss).backward()

    directory = os.path.join(OUT, "losses", name)
    os.makedirs(directory, exist_ok=True)
    save_npy(os.path.join(directory, "input.npy"), x)
    save_target(os.path.join(directory, "target.npy"), target)
    for key, t in data.items():
        save_npy(os.path.join(directory, key + ".npy"), t)
    save_npy(os.path.join(directory, "loss.npy"), loss)
    save_npy(os.path.join(directory, "grad.npy"), x.grad)
    meta = {"loss": kind, "input_shape": list(x.shape), "target_shape": list(target.shape),
            "target_dtype": "int64" if target.dtype == torch.int64 else "float32",
            "data_seed": seed, "reduction": args["reduction"],
            "input_is_log_softmax": kind == "nll"}
    for key in ("ignore_index", "label_smoothing"):
        if key in args:
            meta[key] = args[key]
    for key in data:
        meta[key] = key + ".npy"
    write_json(os.path.join(directory, "case.json"), meta)


def main():
    torch.set_num_threads(1)
    for case in MODELS:
        make_model_case(*case)
    for seed, (name, kind, args) in enumerate(LOSSES, start=400):
        make_loss_case(name, kind, args, seed)


if __name__ == "__main__":
    main()
