"""Reference values for NasKit's DARTS search supernet (DartsSupernetTests).

An independent PyTorch implementation of the DARTS search network, written from the specification (stem conv 3x3 to 3C with
batch norm; cells at layers//3 and 2*layers//3 are reduction cells that double the channels; each cell preprocesses its two
inputs to C channels with non-affine ReLU-conv-BN, or a non-affine factorized reduction after a reduction cell; four
intermediate nodes, node i summing a mixed operation over the 8 DARTS operations on each of the i+2 earlier states (14
edges), pools followed by a non-affine batch norm, every batch norm inside the cells non-affine; output = concat of the four
nodes; global average pool and linear classifier; alphas_normal and alphas_reduce [14, 8] mixed by softmax). Module names
match NasKit's DartsSupernet so that parameters line up by name. It prints:
  1. parameter counts at the defaults (C=16, 8 cells, 10 classes) and at C=8, 5 cells, 1 input channel, 100 classes, with and
     without the two alpha tensors, and the number of parameter tensors;
  2. for C=4, 3 cells, 3 input channels, 5 classes, with parameter k (ordinal name order, alphas included) filled with
     0.5*sin(0.37*j + 1.1*k) for its flattened index j and an input [2, 3, 8, 8] filled with sin(0.1*j), the training-mode
     logits, and the genotype DARTS's derivation rule gives for those alphas.
Run: /usr/bin/python3 darts_supernet.py   (PyTorch 1.13, CPU)
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"]


class Zero(nn.Module):
    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        return x[:, :, ::self.stride, ::self.stride] * 0.0


class ReluConvBn(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout, affine=False)

    def forward(self, x):
        return self.bn(self.conv(F.relu(x)))


class FactorizedReduce(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
        self.conv2 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, affine=False)

    def forward(self, x):
        x = F.relu(x)
        return self.bn(torch.cat([self.conv1(x), self.conv2(x[:, :, 1:, 1:])], dim=1))


class SepConv(nn.Module):
    def __init__(self, c, k, stride, pad):
        super().__init__()
        self.dw1 = nn.Conv2d(c, c, k, stride, pad, groups=c, bias=False)
        self.pw1 = nn.Conv2d(c, c, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c, affine=False)
        self.dw2 = nn.Conv2d(c, c, k, 1, pad, groups=c, bias=False)
        self.pw2 = nn.Conv2d(c, c, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c, affine=False)

    def forward(self, x):
        y = self.bn1(self.pw1(self.dw1(F.relu(x))))
        return self.bn2(self.pw2(self.dw2(F.relu(y))))


class DilConv(nn.Module):
    def __init__(self, c, k, stride, pad):
        super().__init__()
        self.dw = nn.Conv2d(c, c, k, stride, pad, dilation=2, groups=c, bias=False)
        self.pw = nn.Conv2d(c, c, 1, bias=False)
        self.bn = nn.BatchNorm2d(c, affine=False)

    def forward(self, x):
        return self.bn(self.pw(self.dw(F.relu(x))))


def make_op(name, c, stride):
    if name == "none":
        return Zero(stride)
    if name == "max_pool_3x3":
        return nn.Sequential(nn.MaxPool2d(3, stride, 1), nn.BatchNorm2d(c, affine=False))
    if name == "avg_pool_3x3":
        return nn.Sequential(nn.AvgPool2d(3, stride, 1, count_include_pad=False), nn.BatchNorm2d(c, affine=False))
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


class Edge(nn.Module):
    def __init__(self, c, stride):
        super().__init__()
        self.ops = nn.ModuleList([make_op(n, c, stride) for n in OPS])

    def forward(self, x, w):
        return sum(w[o] * op(x) for o, op in enumerate(self.ops))


class Cell(nn.Module):
    def __init__(self, cpp, cp, c, reduction, reduction_prev):
        super().__init__()
        self.reduction = reduction
        self.preprocess0 = FactorizedReduce(cpp, c) if reduction_prev else ReluConvBn(cpp, c)
        self.preprocess1 = ReluConvBn(cp, c)
        edges = []
        for node in range(4):
            for j in range(node + 2):
                edges.append(Edge(c, 2 if reduction and j < 2 else 1))
        self.edges = nn.ModuleList(edges)

    def forward(self, s0, s1, weights):
        states = [self.preprocess0(s0), self.preprocess1(s1)]
        e = 0
        for node in range(4):
            total = 0
            for j in range(node + 2):
                total = total + self.edges[e](states[j], weights[e])
                e += 1
            states.append(total)
        return torch.cat(states[2:], dim=1)


class Supernet(nn.Module):
    def __init__(self, c=16, layers=8, classes=10, in_channels=3):
        super().__init__()
        self.alphas_normal = nn.Parameter(torch.zeros(14, 8))
        self.alphas_reduce = nn.Parameter(torch.zeros(14, 8))
        self.stem = nn.Sequential(nn.Conv2d(in_channels, 3 * c, 3, padding=1, bias=False), nn.BatchNorm2d(3 * c))
        cpp, cp, cc = 3 * c, 3 * c, c
        cells, reduction_prev = [], False
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                cc *= 2
            cells.append(Cell(cpp, cp, cc, reduction, reduction_prev))
            reduction_prev = reduction
            cpp, cp = cp, 4 * cc
        self.cells = nn.ModuleList(cells)
        self.classifier = nn.Linear(cp, classes)

    def forward(self, x):
        wn = F.softmax(self.alphas_normal, dim=-1)
        wr = F.softmax(self.alphas_reduce, dim=-1)
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1, wr if cell.reduction else wn)
        return self.classifier(s1.mean(dim=(2, 3)))


def derive(alpha):
    """DARTS's rule: per node keep the two inputs with the largest non-none softmax weight, op = argmax excluding none."""
    w = F.softmax(alpha, dim=-1).tolist()
    none = OPS.index("none")
    pairs, start = [], 0
    for node in range(4):
        end = start + node + 2
        rows = w[start:end]
        keep = sorted(range(node + 2), key=lambda j: -max(rows[j][k] for k in range(8) if k != none))[:2]
        for j in keep:
            best = None
            for k in range(8):
                if k != none and (best is None or rows[j][k] > rows[j][best]):
                    best = k
            pairs.append((OPS[best], j))
        start = end
    return pairs


def count(model, with_alphas):
    return sum(p.numel() for n, p in model.named_parameters() if with_alphas or not n.startswith("alphas"))


def fmt(values):
    return ", ".join("%.6ef" % v for v in values)


def main():
    torch.manual_seed(0)
    default = Supernet()
    print("C=16 layers=8 classes=10: parameters", count(default, True), "without alphas", count(default, False),
          "tensors", len(list(default.parameters())))
    other = Supernet(c=8, layers=5, classes=100, in_channels=1)
    print("C=8 layers=5 classes=100 in=1: parameters", count(other, True), "without alphas", count(other, False),
          "tensors", len(list(other.parameters())))

    small = Supernet(c=4, layers=3, classes=5, in_channels=3)
    small.train()
    params = dict(small.named_parameters())
    names = sorted(params)
    with torch.no_grad():
        for k, name in enumerate(names):
            p = params[name]
            j = torch.arange(p.numel(), dtype=torch.float64)
            p.copy_((0.5 * torch.sin(0.37 * j + 1.1 * k)).reshape(p.shape).float())
        n = 2 * 3 * 8 * 8
        x = torch.sin(0.1 * torch.arange(n, dtype=torch.float64)).float().reshape(2, 3, 8, 8)
        logits = small(x)
    print("small logits:", fmt(logits.flatten().tolist()))
    print("small genotype: Genotype(normal=%s, normal_concat=range(2, 6), reduce=%s, reduce_concat=range(2, 6))"
          % (derive(small.alphas_normal.detach()), derive(small.alphas_reduce.detach())))


if __name__ == "__main__":
    main()
