"""Reference values for the MobileNetV3 / OFA tests, from an independent PyTorch model of the same network.

Run with PyTorch 1.13:  /usr/bin/python3 mbv3_params.py > mbv3_reference.txt
Prints parameter counts for a few sub-networks and the logits of one small network whose weights are a
deterministic function of each parameter's name (so the C# test can fill its own network identically).
"""
import math
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

WIDTHS = [24, 40, 80, 112, 160]
STRIDES = [2, 2, 2, 1, 2]
ACTS = ["relu", "relu", "hswish", "hswish", "hswish"]
SE = [False, True, False, True, True]


def divisible(v, d=8):
    r = max(d, int(v + d / 2) // d * d)
    return r + d if r < 0.9 * v else r


def act(name):
    return nn.ReLU() if name == "relu" else nn.Hardswish()


class Gate(nn.Module):
    def __init__(self, c):
        super().__init__()
        mid = divisible(c // 4)
        self.reduce = nn.Conv2d(c, mid, 1, bias=True)
        self.expand = nn.Conv2d(mid, c, 1, bias=True)

    def forward(self, x):
        s = x.mean(dim=(2, 3), keepdim=True)
        return x * F.hardsigmoid(self.expand(F.relu(self.reduce(s))))


class Block(nn.Module):
    def __init__(self, cin, cout, k, stride, e, a, se):
        super().__init__()
        mid = cin if e == 1 else divisible(round(cin * e))
        self.residual = stride == 1 and cin == cout
        if e != 1:
            self.inverted_bottleneck = nn.Sequential(OrderedDict(
                conv=nn.Conv2d(cin, mid, 1, bias=False), bn=nn.BatchNorm2d(mid), act=act(a)))
        else:
            self.inverted_bottleneck = None
        layers = OrderedDict(conv=nn.Conv2d(mid, mid, k, stride, k // 2, groups=mid, bias=False),
                             bn=nn.BatchNorm2d(mid), act=act(a))
        if se:
            layers["se"] = Gate(mid)
        self.depth_conv = nn.Sequential(layers)
        self.point_linear = nn.Sequential(OrderedDict(conv=nn.Conv2d(mid, cout, 1, bias=False), bn=nn.BatchNorm2d(cout)))

    def forward(self, x):
        y = x if self.inverted_bottleneck is None else self.inverted_bottleneck(x)
        y = self.point_linear(self.depth_conv(y))
        return x + y if self.residual else y


class Net(nn.Module):
    def __init__(self, depths, ks, es, classes):
        super().__init__()
        self.first_conv = nn.Sequential(OrderedDict(
            conv=nn.Conv2d(3, 16, 3, 2, 1, bias=False), bn=nn.BatchNorm2d(16), act=nn.Hardswish()))
        self.first_block = Block(16, 16, 3, 1, 1, "relu", False)
        stages, c = [], 16
        for s, d in enumerate(depths):
            blocks = []
            for l in range(d):
                blocks.append(Block(c, WIDTHS[s], ks[s][l], STRIDES[s] if l == 0 else 1, es[s][l], ACTS[s], SE[s]))
                c = WIDTHS[s]
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.final_expand_layer = nn.Sequential(OrderedDict(
            conv=nn.Conv2d(c, 960, 1, bias=False), bn=nn.BatchNorm2d(960), act=nn.Hardswish()))
        self.feature_mix_layer = nn.Sequential(OrderedDict(conv=nn.Conv2d(960, 1280, 1, bias=False), act=nn.Hardswish()))
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(1280, classes)

    def forward(self, x):
        x = self.final_expand_layer(self.stages(self.first_block(self.first_conv(x))))
        x = self.feature_mix_layer(x.mean(dim=(2, 3), keepdim=True)).flatten(1)
        return self.classifier(self.dropout(x))


def count(depths, ks, es, classes):
    return sum(p.numel() for p in Net(depths, ks, es, classes).parameters())


def unit(i, h):
    # An integer hash of (i, h) ("lowbias32" mixing, all arithmetic mod 2^32) mapped to [-0.5, 0.5): exact, so C# reproduces it
    # bit for bit, and free of the regular structure that a plain multiplicative sequence has.
    m = 0xFFFFFFFF
    x = (i + h * 0x9E3779B9) & m
    x ^= x >> 16
    x = (x * 0x7FEB352D) & m
    x ^= x >> 15
    x = (x * 0x846CA68B) & m
    x ^= x >> 16
    return x / 4294967296.0 - 0.5


def fill_value(name, shape, i):
    # Must match MobileNetV3NetworkTests.FillValue: h = sum of the name's character codes; weight tensors of rank >= 2 get
    # amplitude sqrt(24 / fan_in) (unit gain through ReLU-like layers), batch-norm scales 1 + 0.2 u, other vectors 0.2 u.
    h = sum(ord(ch) for ch in name)
    u = unit(i, h)
    if len(shape) >= 2:
        fan_in = 1
        for n in shape[1:]:
            fan_in *= n
        return math.sqrt(24.0 / fan_in) * u
    return 1.0 + 0.2 * u if name.endswith("bn.weight") else 0.2 * u


print("params largest d=4 k=7 e=6 classes=1000:", count([4] * 5, [[7] * 4] * 5, [[6] * 4] * 5, 1000))
print("params smallest d=2 k=3 e=3 classes=1000:", count([2] * 5, [[3] * 2] * 5, [[3] * 2] * 5, 1000))
mixed = ([2, 3, 4, 2, 3],
         [[3, 5], [7, 3, 5], [3, 5, 7, 3], [5, 5], [3, 3, 3]],
         [[4, 6], [3, 3, 4], [6, 6, 4, 3], [3, 4], [6, 6, 6]])
print("params mixed r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6 classes=1000:", count(*mixed, 1000))
print("params mixed classes=10:", count(*mixed, 10))

torch.manual_seed(0)
net = Net(*mixed, 10).eval()
with torch.no_grad():
    for name, p in net.named_parameters():
        flat = torch.tensor([fill_value(name, list(p.shape), i) for i in range(p.numel())], dtype=torch.float64)
        p.copy_(flat.view_as(p).float())
    x = torch.tensor([2.0 * unit(i, 7) for i in range(2 * 3 * 32 * 32)], dtype=torch.float32).view(2, 3, 32, 32)
    y = net(x)
print("logits mixed classes=10 r=32 eval:", " ".join("%.7e" % v for v in y.flatten().tolist()))
