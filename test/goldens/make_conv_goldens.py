"""Goldens for convolution, padding and pooling layers and the whole-model cases (small CNNs and
two ResNet basic blocks), from PyTorch 1.13.

Each case in test/goldens/conv/<case>/ holds input.npy, output.npy and, for layers with
parameters, weights.safetensors. Layer weights are PyTorch's default initialization right after
torch.manual_seed(<seed in the case list>), so nncc can check its init too; train-mode cases
also hold state_after.safetensors (updated BatchNorm statistics). Rerun with:

    /usr/bin/python3 test/goldens/make_conv_goldens.py
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

from make_goldens import HERE, save_npy, write_safetensors

OUT = os.path.join(HERE, "conv")


def case(name, make, shape, seed, training=False):
    """A lazy module's weights exist only after its first forward: they are written then."""
    torch.manual_seed(seed)
    module = make()
    directory = os.path.join(OUT, name)
    os.makedirs(directory, exist_ok=True)
    lazy = any(isinstance(m, nn.modules.lazy.LazyModuleMixin) for m in module.modules())
    if len(module.state_dict()) and not lazy:
        write_safetensors(os.path.join(directory, "weights.safetensors"), module.state_dict())
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed + 100))
    module.train(training)
    with torch.no_grad():
        y = module(x)
    if lazy:
        write_safetensors(os.path.join(directory, "weights.safetensors"), module.state_dict())
    save_npy(os.path.join(directory, "input.npy"), x)
    save_npy(os.path.join(directory, "output.npy"), y)
    if training:
        write_safetensors(os.path.join(directory, "state_after.safetensors"), module.state_dict())


class Pad(nn.Module):
    """F.pad as a module, for the functional padding cases."""

    def __init__(self, pads, mode, value=0.0):
        super().__init__()
        self.pads, self.mode, self.value = pads, mode, value

    def forward(self, x):
        if self.mode == "constant":
            return F.pad(x, self.pads, self.mode, self.value)
        return F.pad(x, self.pads, self.mode)


def cnn():
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.Conv2d(8, 16, 3, padding=1, stride=2), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))


def small_cnn():
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1, stride=2), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))


class BasicBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + x)


def main():
    layers = [
        ("conv2d_basic", lambda: nn.Conv2d(3, 4, 3), [2, 3, 7, 7]),
        ("conv2d_stride_pad", lambda: nn.Conv2d(3, 4, 3, stride=2, padding=1), [2, 3, 7, 7]),
        ("conv2d_tuples", lambda: nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)), [1, 3, 8, 9]),
        ("conv2d_same_dilation", lambda: nn.Conv2d(3, 4, 4, padding="same", dilation=2), [1, 3, 9, 8]),
        ("conv2d_valid_no_bias", lambda: nn.Conv2d(3, 4, 3, padding="valid", bias=False), [1, 3, 6, 6]),
        ("conv2d_groups", lambda: nn.Conv2d(4, 6, 3, padding=1, groups=2), [2, 4, 5, 5]),
        ("conv2d_depthwise", lambda: nn.Conv2d(4, 4, 3, padding=1, groups=4), [2, 4, 5, 5]),
        ("conv2d_reflect", lambda: nn.Conv2d(2, 3, 3, padding=2, padding_mode="reflect"), [1, 2, 5, 6]),
        ("conv2d_replicate", lambda: nn.Conv2d(2, 3, 3, padding=2, padding_mode="replicate"), [1, 2, 5, 6]),
        ("conv2d_circular", lambda: nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="circular"), [1, 2, 5, 6]),
        ("conv1d", lambda: nn.Conv1d(3, 5, 3, stride=2, padding=1), [2, 3, 11]),
        ("conv1d_reflect_dilation", lambda: nn.Conv1d(3, 2, 3, padding=2, dilation=2, padding_mode="reflect"), [2, 3, 9]),
        ("conv_transpose2d", lambda: nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1), [2, 4, 4, 5]),
        ("conv_transpose2d_groups", lambda: nn.ConvTranspose2d(4, 6, 2, stride=2, groups=2, bias=False), [1, 4, 3, 3]),
        ("conv_transpose2d_dilation", lambda: nn.ConvTranspose2d(2, 3, 3, padding=1, dilation=2), [1, 2, 4, 4]),
        ("max_pool", lambda: nn.MaxPool2d(2), [2, 3, 6, 6]),
        ("max_pool_stride_pad", lambda: nn.MaxPool2d(3, stride=2, padding=1), [2, 3, 7, 7]),
        ("max_pool_ceil", lambda: nn.MaxPool2d(3, stride=2, ceil_mode=True), [1, 2, 8, 8]),
        ("max_pool_dilation", lambda: nn.MaxPool2d(2, stride=1, dilation=2), [1, 2, 6, 6]),
        ("avg_pool", lambda: nn.AvgPool2d(2), [2, 3, 6, 6]),
        ("avg_pool_pad", lambda: nn.AvgPool2d(3, stride=2, padding=1), [1, 2, 7, 7]),
        ("avg_pool_pad_exclude", lambda: nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), [1, 2, 7, 7]),
        ("avg_pool_ceil", lambda: nn.AvgPool2d(3, stride=2, ceil_mode=True), [1, 2, 8, 8]),
        ("avg_pool_divisor", lambda: nn.AvgPool2d(2, divisor_override=3), [1, 2, 4, 4]),
        ("adaptive_avg_pool_1", lambda: nn.AdaptiveAvgPool2d(1), [2, 3, 5, 5]),
        ("adaptive_avg_pool_3x2", lambda: nn.AdaptiveAvgPool2d((3, 2)), [1, 2, 7, 5]),
        ("conv2d_same_even_kernel", lambda: nn.Conv2d(2, 3, (4, 2), padding="same"), [1, 2, 6, 5]),
        ("conv2d_same_reflect", lambda: nn.Conv2d(2, 3, 3, padding="same", dilation=2, padding_mode="reflect"), [1, 2, 5, 6]),
        ("conv2d_unbatched", lambda: nn.Conv2d(3, 4, 3, padding=1), [3, 5, 5]),
        ("conv1d_circular_groups", lambda: nn.Conv1d(4, 6, 3, padding=1, groups=2, padding_mode="circular"), [2, 4, 7]),
        ("conv_transpose2d_crop", lambda: nn.ConvTranspose2d(4, 2, 3, stride=2, padding=3), [1, 4, 5, 5]),
        ("conv_transpose2d_depthwise", lambda: nn.ConvTranspose2d(3, 3, 3, stride=2, groups=3), [1, 3, 3, 3]),
        ("max_pool_rect_ceil_pad", lambda: nn.MaxPool2d((2, 3), stride=(1, 2), padding=1, ceil_mode=True), [1, 2, 5, 7]),
        ("avg_pool_ceil_pad", lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True), [1, 2, 6, 6]),
        ("avg_pool_ceil_pad_exclude",
         lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), [1, 2, 6, 6]),
        ("adaptive_avg_pool_unbatched", lambda: nn.AdaptiveAvgPool2d((2, 3)), [3, 5, 7]),
        ("pad_constant", lambda: Pad((1, 2, 0, 3), "constant", 0.5), [1, 2, 4, 5]),
        ("pad_reflect", lambda: Pad((2, 1, 1, 3), "reflect"), [1, 2, 4, 5]),
        ("pad_replicate", lambda: Pad((0, 3, 2, 1), "replicate"), [2, 3, 4]),
        ("pad_circular", lambda: Pad((1, 2, 3, 0), "circular"), [1, 2, 4, 5]),
    ]
    for seed, (name, make, shape) in enumerate(layers, start=50):
        case(name, make, shape, seed)
    case("cnn_eval", cnn, [4, 3, 16, 16], 90)
    case("cnn_train", cnn, [4, 3, 16, 16], 91, training=True)
    case("resnet_blocks_eval", lambda: nn.Sequential(BasicBlock(8), BasicBlock(8)), [2, 8, 8, 8], 92)
    case("lazy_conv2d", lambda: nn.Sequential(nn.LazyConv2d(4, 3, padding=1), nn.ReLU()), [1, 3, 5, 5], 94)
    case("resnet_blocks_train", lambda: nn.Sequential(BasicBlock(8), BasicBlock(8)), [2, 8, 8, 8], 93, training=True)
    case("small_cnn", small_cnn, [2, 3, 12, 12], 95)


if __name__ == "__main__":
    main()
