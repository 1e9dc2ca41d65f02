"""Reference values for BatchNormRecalibrationTests (NasKit.Supernet).

A small model conv(2->3, 3x3, pad 1, no bias) -> BatchNorm2d(3) -> ReLU -> conv(3->2, 1x1, no bias) -> BatchNorm2d(2, momentum 0.3),
with parameter k (in ordinal name order) filled with 0.5*sin(0.37*j + 1.1*k) for its flattened index j. The running statistics
are first polluted by two training-mode passes on other data, then recalibrated by the SPOS rule: reset the statistics, switch
to the cumulative average (momentum=None), run three batches of sizes 2, 3 and 1 (shape [n, 2, 4, 4], batch b filled with
sin(0.1*j + 0.7*b) + 0.2*b for its flattened index j) in train mode under no_grad, restore the momentum, switch to eval mode.
It prints both batch norms' running_mean, running_var and num_batches_tracked, and the eval-mode output for batch 0.
Run: /usr/bin/python3 bn_recalibration.py   (PyTorch 1.13, CPU)
"""
import torch
import torch.nn as nn


def fill(shape, offset, scale=1.0, phase=0.1):
    n = 1
    for d in shape:
        n *= d
    j = torch.arange(n, dtype=torch.float64)
    return (torch.sin(phase * j + offset) * scale).reshape(shape).float()


def fmt(t):
    return ", ".join("%.7ef" % v for v in t.flatten().tolist())


def main():
    model = nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1, bias=False),
        nn.BatchNorm2d(3),
        nn.ReLU(),
        nn.Conv2d(3, 2, 1, bias=False),
        nn.BatchNorm2d(2, momentum=0.3),
    )
    params = dict(model.named_parameters())
    with torch.no_grad():
        for k, name in enumerate(sorted(params)):
            p = params[name]
            p.copy_(fill(p.shape, 1.1 * k, 0.5, 0.37))

    # Pollute the running statistics.
    model.train()
    with torch.no_grad():
        for b in range(2):
            model(fill((4, 2, 4, 4), 3.0 + b, 2.0))

    batches = [fill((n, 2, 4, 4), 0.7 * b) + 0.2 * b for b, n in enumerate([2, 3, 1])]
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        for x in batches:
            model(x)
    for m, mom in zip(bns, saved):
        m.momentum = mom
    model.eval()
    for i, m in enumerate(bns):
        print("bn%d running_mean:" % i, fmt(m.running_mean))
        print("bn%d running_var:" % i, fmt(m.running_var))
        print("bn%d num_batches_tracked:" % i, int(m.num_batches_tracked))
        print("bn%d momentum:" % i, m.momentum)
    with torch.no_grad():
        print("eval output batch 0:", fmt(model(batches[0])))


if __name__ == "__main__":
    main()
