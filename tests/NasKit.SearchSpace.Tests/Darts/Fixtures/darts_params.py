"""Reference values for NasKit's DARTS evaluation network (DartsNetworkTests).

An independent PyTorch implementation of the DARTS evaluation network (NetworkCIFAR) whose module names match NasKit's
DartsNetwork, so that parameters can be matched by name. It prints:
  1. the parameter counts of the DARTS_V2 network at C=36, 20 cells, 10 classes, without and with the auxiliary head;
  2. for a small DARTS_V2 network (C=4, 3 cells, 32x32 input, auxiliary head), with every parameter k (in ordinal name order)
     filled with 0.5*sin(0.37*j + 1.1*k) for its flattened index j and the input filled with sin(0.1*j), the sorted parameter
     names and shapes and the main and auxiliary logits of a training-mode forward of a batch of 2.
Run: /usr/bin/python3 darts_params.py   (PyTorch 1.13, CPU)
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PRIMITIVES = ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"]

# DARTS_V2 as published with the paper's code (normal and reduce pairs; concat = nodes 2..5).
DARTS_V2_NORMAL = [("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_3x3", 1),
                   ("sep_conv_3x3", 1), ("skip_connect", 0), ("skip_connect", 0), ("dil_conv_3x3", 2)]
DARTS_V2_REDUCE = [("max_pool_3x3", 0), ("max_pool_3x3", 1), ("skip_connect", 2), ("max_pool_3x3", 1),
                   ("max_pool_3x3", 0), ("skip_connect", 2), ("skip_connect", 2), ("max_pool_3x3", 1)]


class ReluConvBn(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(F.relu(x)))


class SepConv(nn.Module):
    def __init__(self, c, k, stride, pad):
        super().__init__()
        self.dw1 = nn.Conv2d(c, c, k, stride, pad, groups=c, bias=False)
        self.pw1 = nn.Conv2d(c, c, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.dw2 = nn.Conv2d(c, c, k, 1, pad, groups=c, bias=False)
        self.pw2 = nn.Conv2d(c, c, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        y = self.bn1(self.pw1(self.dw1(F.relu(x))))
        return self.bn2(self.pw2(self.dw2(F.relu(y))))


class DilConv(nn.Module):
    def __init__(self, c, k, stride, pad):
        super().__init__()
        self.dw = nn.Conv2d(c, c, k, stride, pad, dilation=2, groups=c, bias=False)
        self.pw = nn.Conv2d(c, c, 1, bias=False)
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x):
        return self.bn(self.pw(self.dw(F.relu(x))))


class FactorizedReduce(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
        self.conv2 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        x = F.relu(x)
        # The original shift: drop the first row and column (even sizes only).
        return self.bn(torch.cat([self.conv1(x), self.conv2(x[:, :, 1:, 1:])], dim=1))


def make_op(name, c, stride):
    if name == "max_pool_3x3":
        return nn.MaxPool2d(3, stride, 1)
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride, 1, count_include_pad=False)
    if name == "skip_connect":
        return nn.Identity() if stride == 1 else FactorizedReduce(c, c)
    if name == "sep_conv_3x3":
        return SepConv(c, 3, stride, 1)
    if name == "sep_conv_5x5":
        return SepConv(c, 5, stride, 2)
    if name == "dil_conv_3x3":
        return DilConv(c, 3, stride, 2)
    if name == "dil_conv_5x5":
        return DilConv(c, 5, stride, 4)
    raise ValueError(name)


class Cell(nn.Module):
    def __init__(self, pairs, cpp, cp, c, reduction, reduction_prev):
        super().__init__()
        self.preprocess0 = FactorizedReduce(cpp, c) if reduction_prev else ReluConvBn(cpp, c)
        self.preprocess1 = ReluConvBn(cp, c)
        self.ops = nn.ModuleList([make_op(n, c, 2 if reduction and i < 2 else 1) for n, i in pairs])
        self.inputs = [i for _, i in pairs]

    def forward(self, s0, s1):
        states = [self.preprocess0(s0), self.preprocess1(s1)]
        for k in range(0, len(self.ops), 2):
            states.append(self.ops[k](states[self.inputs[k]]) + self.ops[k + 1](states[self.inputs[k + 1]]))
        return torch.cat(states[2:], dim=1)


class AuxiliaryHead(nn.Module):
    def __init__(self, c, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(c, 128, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(128)
        self.conv2 = nn.Conv2d(128, 768, 2, bias=False)
        self.bn2 = nn.BatchNorm2d(768)
        self.classifier = nn.Linear(768, classes)

    def forward(self, x):
        x = F.avg_pool2d(F.relu(x), 5, 3, 0, count_include_pad=False)
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return self.classifier(x.flatten(1))


class Network(nn.Module):
    def __init__(self, normal, reduce, c, layers, classes, auxiliary, in_channels=3):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, 3 * c, 3, padding=1, bias=False), nn.BatchNorm2d(3 * c))
        cpp, cp, cc = 3 * c, 3 * c, c
        cells, reduction_prev = [], False
        self.aux_index = 2 * layers // 3
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                cc *= 2
            cells.append(Cell(reduce if reduction else normal, cpp, cp, cc, reduction, reduction_prev))
            reduction_prev = reduction
            cpp, cp = cp, 4 * cc
            if i == self.aux_index:
                aux_c = cp
        self.cells = nn.ModuleList(cells)
        if auxiliary:
            self.auxiliary_head = AuxiliaryHead(aux_c, classes)
        self.classifier = nn.Linear(cp, classes)

    def forward(self, x):
        aux = None
        s0 = s1 = self.stem(x)
        for i, cell in enumerate(self.cells):
            s0, s1 = s1, cell(s0, s1)
            if i == self.aux_index and hasattr(self, "auxiliary_head") and self.training:
                aux = self.auxiliary_head(s1)
        return self.classifier(s1.mean(dim=(2, 3))), aux


def count(model):
    return sum(p.numel() for p in model.parameters())


def fmt(values):
    return ", ".join("%.6ef" % v for v in values)


def main():
    torch.manual_seed(0)
    plain = Network(DARTS_V2_NORMAL, DARTS_V2_REDUCE, 36, 20, 10, auxiliary=False)
    aux = Network(DARTS_V2_NORMAL, DARTS_V2_REDUCE, 36, 20, 10, auxiliary=True)
    print("DARTS_V2 C=36 layers=20 classes=10 parameters without auxiliary head:", count(plain))
    print("DARTS_V2 C=36 layers=20 classes=10 parameters with auxiliary head:", count(aux))

    small = Network(DARTS_V2_NORMAL, DARTS_V2_REDUCE, 4, 3, 10, auxiliary=True)
    small.train()
    names = sorted(n for n, _ in small.named_parameters())
    params = dict(small.named_parameters())
    with torch.no_grad():
        for k, name in enumerate(names):
            p = params[name]
            j = torch.arange(p.numel(), dtype=torch.float64)
            p.copy_((0.5 * torch.sin(0.37 * j + 1.1 * k)).reshape(p.shape).float())
        n = 2 * 3 * 32 * 32
        x = torch.sin(0.1 * torch.arange(n, dtype=torch.float64)).float().reshape(2, 3, 32, 32)
        logits, aux_logits = small(x)
    print("small parameters:", count(small), "tensors:", len(names))
    print("names:", " ".join("%s:%s" % (n, "x".join(str(d) for d in params[n].shape)) for n in names))
    print("logits:", fmt(logits.flatten().tolist()))
    print("aux logits:", fmt(aux_logits.flatten().tolist()))


if __name__ == "__main__":
    main()
