"""Reference trajectories of torch.optim for NasKit's optimizer and LR-schedule tests.

Run with Debian's interpreter: /usr/bin/python3 make_optim_fixtures.py
Oracle: PyTorch 1.13 (Debian python3-torch 1.13.1). Writes optim_fixtures.json next to this file.
The problem: W [3, 4], b [3] start from fixed values; loss = sum((x @ W.T + b - y) ** 2) for fixed x [5, 4], y [5, 3];
each optimizer runs 6 steps and the parameters after every step are recorded.
"""
import json
import math
import os

import torch

torch.manual_seed(1234)
W0 = torch.randn(3, 4)
b0 = torch.randn(3)
X = torch.randn(5, 4)
Y = torch.randn(5, 3)

CONFIGS = [
    ("sgd_plain", "SGD", dict(lr=0.01)),
    ("sgd_momentum", "SGD", dict(lr=0.01, momentum=0.9)),
    ("sgd_momentum_dampening_wd", "SGD", dict(lr=0.01, momentum=0.9, dampening=0.3, weight_decay=0.05)),
    ("sgd_nesterov_wd", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)),
    ("sgd_maximize", "SGD", dict(lr=0.01, momentum=0.5, maximize=True)),
    ("adam_default", "Adam", dict(lr=0.01)),
    ("adam_wd_amsgrad", "Adam", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    ("adamw_default_wd", "AdamW", dict(lr=0.01)),
    ("adamw_custom", "AdamW", dict(lr=0.03, betas=(0.5, 0.9), weight_decay=0.2)),
]


def run(kind, kwargs, steps=6):
    W = W0.clone().requires_grad_()
    b = b0.clone().requires_grad_()
    opt = getattr(torch.optim, kind)([W, b], **kwargs)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((X @ W.T + b - Y) ** 2).sum()
        loss.backward()
        opt.step()
        trajectory.append({"W": W.detach().flatten().tolist(), "b": b.detach().flatten().tolist()})
    return trajectory


def schedule(make, steps):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    sched = make(opt)
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


S = torch.optim.lr_scheduler
out = {
    "torch": torch.__version__,
    "W0": W0.flatten().tolist(), "b0": b0.tolist(), "X": X.flatten().tolist(), "Y": Y.flatten().tolist(),
    "optimizers": {name: {"kind": kind, "kwargs": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()},
                          "trajectory": run(kind, kw)} for name, kind, kw in CONFIGS},
    "schedules": {
        "step": schedule(lambda o: S.StepLR(o, step_size=3, gamma=0.5), 10),
        "multistep": schedule(lambda o: S.MultiStepLR(o, milestones=[2, 5, 6], gamma=0.1), 10),
        "cosine": schedule(lambda o: S.CosineAnnealingLR(o, T_max=8, eta_min=0.001), 8),
        "linear_warmup": schedule(lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4), 8),
        "exponential": schedule(lambda o: S.ExponentialLR(o, gamma=0.9), 6),
        "sequential": schedule(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.5, total_iters=3),
                                                              S.CosineAnnealingLR(o, T_max=5)], milestones=[3]), 8),
    },
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_fixtures.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote optim_fixtures.json")
