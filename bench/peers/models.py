"""The benchmark's workloads as torch modules, with the state_dict keys that the C++ side writes.

Each workload name maps to (module factory, input shape); mlp_train_b64 is the MLP trained one
step at a time (see run_peers.py). The names are the contract with bench/*.cpp.
"""
import torch
from torch import nn


def mlp():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


class BasicBlock(nn.Module):
    """torchvision's ResNet BasicBlock without downsampling: same channels in and out."""

    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))) + x)


def resnet():
    return nn.Sequential(BasicBlock(64), BasicBlock(64))


def encoder():
    return nn.TransformerEncoderLayer(d_model=256, nhead=4, dim_feedforward=1024, dropout=0.0,
                                      batch_first=True)


WORKLOADS = {
    "mlp_b1": (mlp, (1, 784)),
    "mlp_b64": (mlp, (64, 784)),
    "cnn_b1": (cnn, (1, 3, 32, 32)),
    "cnn_b32": (cnn, (32, 3, 32, 32)),
    "resnet_b1": (resnet, (1, 64, 56, 56)),
    "encoder_b8": (encoder, (8, 128, 256)),
    "mlp_train_b64": (mlp, (64, 784)),
}


def is_training(name):
    return "_train_" in name


def train_step(model, optimizer, x, target):
    """One SGD step as the C++ side takes it; returns the loss computed before the update."""
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(x), target)
    loss.backward()
    optimizer.step()
    return loss


def sgd(model):
    return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
