#!/usr/bin/python3
# Generates the PyTorch golden fixtures for the NasKit.Tensors neural-op parity tests
# (tests/NasKit.Tensors.Tests/NN/*PyTorchParityTests.cs).
#
# Oracle: PyTorch 1.13 on CPU, float32, one thread, deterministic algorithms, fixed seeds.
# Run from anywhere:   /usr/bin/python3 tests/NasKit.Tensors.Tests/NN/Fixtures/make_fixtures.py
# It rewrites the *.json files next to this script. Every case is seeded from the CRC-32 of its
# name, so adding or removing a case leaves the other cases' values unchanged.
#
# Fixture layout (one JSON object per file, one case per line):
#   {"generator": "make_fixtures.py", "torch_version": "...", "cases": [case, ...]}
#   case = {"name", "op", "params": {...hyper-parameters...},
#           "inputs": {name: tensor}, "outputs": {name: tensor},
#           "upstream": tensor | absent,   # weights w of the scalar L = sum(w * outputs["out"])
#           "grads": {name: tensor},       # dL/d(input or parameter), computed by autograd
#           "steps": [case, ...] | absent} # stateful modules: one sub-case per call
#   tensor = {"shape": [...], "values": [...row-major float32...]}
# Integer data (labels, indices) is stored as exact integers in float32 tensors.

import json
import math
import os
import warnings
import zlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# kl_div's FutureWarning about reduction='mean' is expected: the fixtures pin 1.13's 'mean' on purpose.
warnings.filterwarnings("ignore", message="reduction: 'mean' divides")

torch.manual_seed(0)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
torch.set_default_dtype(torch.float32)

HERE = os.path.dirname(os.path.abspath(__file__))


def gen(name):
    """A generator seeded from the case name (stable under insertion of other cases)."""
    return torch.Generator().manual_seed(zlib.crc32(name.encode("utf-8")))


def randn(g, *shape, scale=1.0, shift=0.0):
    return (torch.randn(tuple(shape), generator=g) * scale + shift).float()


def rand(g, *shape, low=0.0, high=1.0):
    return (torch.rand(tuple(shape), generator=g) * (high - low) + low).float()


def enc(t):
    """Encodes a tensor as shape + float32 values written in their shortest round-trip form."""
    a = t.detach().to(torch.float32).contiguous().numpy()
    flat = a.reshape(-1)
    if not np.all(np.isfinite(flat)):
        raise ValueError("non-finite value in fixture")
    return {"shape": list(a.shape), "values": [float(repr(v)) for v in flat]}


def leaf(t):
    return t.detach().clone().float().requires_grad_(True)


def run_case(name, op, params, inputs, fn, grad_of=(), extra_outputs=None):
    """Runs fn on leaf copies of inputs, records the output and the gradients of sum(upstream * out)."""
    leaves = {k: (leaf(v) if k in grad_of else v.detach().clone()) for k, v in inputs.items()}
    out = fn(**leaves)
    case = {"name": name, "op": op, "params": params, "inputs": {k: enc(v) for k, v in inputs.items()},
            "outputs": {"out": enc(out)}}
    if extra_outputs:
        for k, v in extra_outputs(leaves).items():
            case["outputs"][k] = enc(v)
    if grad_of:
        up = randn(gen(name + "/upstream"), *out.shape)
        (out * up).sum().backward()
        case["upstream"] = enc(up)
        case["grads"] = {k: enc(leaves[k].grad) for k in grad_of}
    return case


def write(fname, cases):
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names in " + fname
    header = {"generator": "make_fixtures.py", "torch_version": torch.__version__}
    lines = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases]
    text = json.dumps(header)[:-1] + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n"
    with open(os.path.join(HERE, fname), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{fname}: {len(cases)} cases, {len(text)} bytes")


# --------------------------------------------------------------------------------------------
# Convolution
# --------------------------------------------------------------------------------------------
def conv_cases():
    cases = []
    # name, N, Cin, H, W, Cout, (kh, kw), stride, padding, dilation, groups, bias
    specs = [
        ("k1_s1_p0_bias_n1", 1, 3, 5, 6, 4, (1, 1), 1, 0, 1, 1, True),
        ("k1_s2_p0_nobias_n3", 3, 4, 7, 5, 2, (1, 1), 2, 0, 1, 1, False),
        ("k3_s1_p1_bias_n3", 3, 2, 6, 7, 3, (3, 3), 1, 1, 1, 1, True),
        ("k3_s1_p0_nobias_n1", 1, 3, 6, 8, 4, (3, 3), 1, 0, 1, 1, False),
        ("k3_s2_p1_nobias_n3", 3, 3, 7, 9, 4, (3, 3), 2, 1, 1, 1, False),
        ("k3_s2_p0_bias_evenInput_n1", 1, 2, 8, 8, 3, (3, 3), 2, 0, 1, 1, True),
        ("k3_s1_p2_bias_n1", 1, 2, 5, 4, 2, (3, 3), 1, 2, 1, 1, True),
        ("k5_s1_p2_bias_n1", 1, 2, 8, 6, 3, (5, 5), 1, 2, 1, 1, True),
        ("k5_s2_p2_nobias_n3", 3, 2, 9, 11, 2, (5, 5), 2, 2, 1, 1, False),
        ("k7_s2_p2_bias_n1", 1, 3, 11, 13, 2, (7, 7), 2, 2, 1, 1, True),
        ("k7_s1_p0_nobias_n3", 3, 1, 9, 8, 2, (7, 7), 1, 0, 1, 1, False),
        ("k3_d2_p2_bias_n1", 1, 2, 8, 9, 3, (3, 3), 1, 2, 2, 1, True),
        ("k3_d2_s2_p1_nobias_n3", 3, 2, 9, 10, 2, (3, 3), 2, 1, 2, 1, False),
        ("k3_g2_p1_bias_n3", 3, 4, 5, 6, 6, (3, 3), 1, 1, 1, 2, True),
        ("k1_g2_p0_nobias_n1", 1, 4, 4, 5, 4, (1, 1), 1, 0, 1, 2, False),
        ("k3_depthwise_s1_p1_bias_n3", 3, 4, 6, 5, 4, (3, 3), 1, 1, 1, 4, True),
        ("k3_depthwise_s2_p1_nobias_n1", 1, 5, 7, 8, 5, (3, 3), 2, 1, 1, 5, False),
        ("k5_depthwise_d2_p2_bias_n1", 1, 3, 9, 9, 3, (5, 5), 1, 2, 2, 3, True),
        ("k3_depthwise_multiplier2_p1_bias_n1", 1, 3, 5, 5, 6, (3, 3), 1, 1, 1, 3, True),
        ("k7_depthwise_s1_p2_nobias_n3", 3, 2, 8, 9, 2, (7, 7), 1, 2, 1, 2, False),
        ("k3x5_rect_kernel_p1_bias_n1", 1, 2, 6, 7, 3, (3, 5), 1, 1, 1, 1, True),
    ]
    for (tag, n, cin, h, w, cout, (kh, kw), s, p, d, groups, has_bias) in specs:
        name = "conv2d_" + tag
        g = gen(name)
        inputs = {"x": randn(g, n, cin, h, w), "weight": randn(g, cout, cin // groups, kh, kw, scale=0.5)}
        if has_bias:
            inputs["bias"] = randn(g, cout, scale=0.5)
        params = {"stride": [s, s], "padding": [p, p], "dilation": [d, d], "groups": groups}

        def fn(x, weight, bias=None, s=s, p=p, d=d, groups=groups):
            return F.conv2d(x, weight, bias, stride=s, padding=p, dilation=d, groups=groups)

        cases.append(run_case(name, "conv2d", params, inputs, fn, grad_of=tuple(inputs.keys())))

    # Unbatched [C, H, W] input.
    name = "conv2d_unbatched_k3_s1_p1_bias"
    g = gen(name)
    inputs = {"x": randn(g, 2, 5, 6), "weight": randn(g, 3, 2, 3, 3, scale=0.5), "bias": randn(g, 3, scale=0.5)}
    cases.append(run_case(name, "conv2d", {"stride": [1, 1], "padding": [1, 1], "dilation": [1, 1], "groups": 1}, inputs,
                          lambda x, weight, bias: F.conv2d(x, weight, bias, padding=1), grad_of=("x", "weight", "bias")))

    # Per-axis hyper-parameters exercise the tuple overload.
    name = "conv2d_per_axis_s1x2_p2x1_d1x2_bias_n3"
    g = gen(name)
    inputs = {"x": randn(g, 3, 2, 6, 9), "weight": randn(g, 3, 2, 3, 3, scale=0.5), "bias": randn(g, 3, scale=0.5)}
    params = {"stride": [1, 2], "padding": [2, 1], "dilation": [1, 2], "groups": 1}
    cases.append(run_case(name, "conv2d", params, inputs,
                          lambda x, weight, bias: F.conv2d(x, weight, bias, stride=(1, 2), padding=(2, 1), dilation=(1, 2)),
                          grad_of=("x", "weight", "bias")))
    return cases


# --------------------------------------------------------------------------------------------
# Pooling
# --------------------------------------------------------------------------------------------
def pool_cases():
    cases = []
    # max_pool2d: name, shape, kernel, stride, padding, dilation, ceil_mode, negative-only input
    max_specs = [
        ("k2_s2", (2, 3, 6, 8), 2, 2, 0, 1, False, False),
        ("k3_s2_p1", (1, 2, 7, 9), 3, 2, 1, 1, False, False),
        ("k3_s1_p1_allNegative", (2, 2, 5, 6), 3, 1, 1, 1, False, True),
        ("k2_s3_strideGtKernel", (1, 2, 8, 7), 2, 3, 0, 1, False, False),
        ("k3_s2_ceil", (1, 2, 8, 7), 3, 2, 0, 1, True, False),
        ("k2_s2_p1_ceil_lastWindowDropped", (1, 2, 5, 5), 2, 2, 1, 1, True, True),
        ("k3_s2_p1_ceil", (2, 1, 6, 9), 3, 2, 1, 1, True, False),
        ("k3_s1_d2", (1, 2, 7, 8), 3, 1, 0, 2, False, False),
        ("k3_s2_p1_d2_ceil", (1, 2, 9, 8), 3, 2, 1, 2, True, True),
        ("unbatched_k3_s2_p1", (2, 7, 6), 3, 2, 1, 1, False, False),
    ]
    for (tag, shape, k, s, p, d, ceil, neg) in max_specs:
        name = "max_pool2d_" + tag
        g = gen(name)
        x = -rand(g, *shape, low=1.0, high=3.0) if neg else randn(g, *shape)
        params = {"kernel": k, "stride": s, "padding": p, "dilation": d, "ceil_mode": ceil}
        cases.append(run_case(name, "max_pool2d", params, {"x": x},
                              lambda x, k=k, s=s, p=p, d=d, ceil=ceil: F.max_pool2d(x, k, s, p, d, ceil_mode=ceil),
                              grad_of=("x",)))

    # avg_pool2d: name, shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override
    avg_specs = [
        ("k2_s2", (2, 3, 6, 8), 2, 2, 0, False, True, None),
        ("k3_s2_p1_includePad", (1, 2, 7, 9), 3, 2, 1, False, True, None),
        ("k3_s2_p1_excludePad", (1, 2, 7, 9), 3, 2, 1, False, False, None),
        ("k3_s1_p1_excludePad", (2, 2, 5, 6), 3, 1, 1, False, False, None),
        ("k3_s2_ceil_includePad", (1, 2, 8, 7), 3, 2, 0, True, True, None),
        ("k3_s2_p1_ceil_includePad", (2, 1, 6, 8), 3, 2, 1, True, True, None),
        ("k3_s2_p1_ceil_excludePad", (2, 1, 6, 8), 3, 2, 1, True, False, None),
        ("k2_s3_strideGtKernel", (1, 2, 8, 7), 2, 3, 0, False, True, None),
        ("k3_s2_p1_divisorOverride3", (1, 2, 7, 6), 3, 2, 1, False, True, 3),
        ("k3_s2_p1_ceil_divisorOverride5_excludePad", (1, 2, 6, 6), 3, 2, 1, True, False, 5),
        ("unbatched_k3_s2_p1_excludePad", (2, 7, 6), 3, 2, 1, False, False, None),
    ]
    for (tag, shape, k, s, p, ceil, cip, div) in avg_specs:
        name = "avg_pool2d_" + tag
        g = gen(name)
        x = randn(g, *shape)
        params = {"kernel": k, "stride": s, "padding": p, "ceil_mode": ceil, "count_include_pad": cip, "divisor_override": div}
        cases.append(run_case(name, "avg_pool2d", params, {"x": x},
                              lambda x, k=k, s=s, p=p, ceil=ceil, cip=cip, div=div:
                              F.avg_pool2d(x, k, s, p, ceil_mode=ceil, count_include_pad=cip, divisor_override=div),
                              grad_of=("x",)))

    # adaptive pools: name, shape, output size
    adaptive_specs = [
        ("7x5_to_3x2", (2, 2, 7, 5), (3, 2)),
        ("5x5_to_3x3", (1, 3, 5, 5), (3, 3)),
        ("6x9_to_4x4", (1, 2, 6, 9), (4, 4)),
        ("8x8_to_1x1", (2, 2, 8, 8), (1, 1)),
        ("3x3_to_5x4_upsampling", (1, 2, 3, 3), (5, 4)),
        ("10x7_to_3x5", (1, 1, 10, 7), (3, 5)),
        ("unbatched_7x6_to_4x4", (2, 7, 6), (4, 4)),
    ]
    for (tag, shape, out) in adaptive_specs:
        for op, f in (("adaptive_avg_pool2d", F.adaptive_avg_pool2d), ("adaptive_max_pool2d", F.adaptive_max_pool2d)):
            name = op + "_" + tag
            g = gen(name)
            x = randn(g, *shape)
            cases.append(run_case(name, op, {"output_size": list(out)}, {"x": x},
                                  lambda x, f=f, out=out: f(x, out), grad_of=("x",)))
    return cases


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------
def batch_norm_functional_cases():
    cases = []
    # name, shape, training, with running stats, affine, momentum
    specs = [
        ("train_running_momentum0.1_affine_2d", (3, 4, 3, 5), True, True, True, 0.1),
        ("train_running_momentum0.3_noAffine_2d", (2, 3, 4, 4), True, True, False, 0.3),
        ("train_noRunning_affine_2d", (4, 3, 2, 3), True, False, True, 0.1),
        ("train_noRunning_noAffine_1d_NC", (6, 4), True, False, False, 0.1),
        ("train_running_affine_1d_NCL", (4, 3, 5), True, True, True, 0.1),
        ("eval_running_affine_2d", (3, 4, 3, 5), False, True, True, 0.1),
        ("eval_running_noAffine_1d_NC", (5, 3), False, True, False, 0.1),
    ]
    for (tag, shape, training, running, affine, momentum) in specs:
        name = "batch_norm_" + tag
        g = gen(name)
        c = shape[1]
        inputs = {"x": randn(g, *shape, scale=2.0, shift=0.5)}
        if running:
            inputs["running_mean"] = randn(g, c, scale=0.3)
            inputs["running_var"] = rand(g, c, low=0.5, high=2.0)
        if affine:
            inputs["weight"] = randn(g, c, scale=0.5, shift=1.0)
            inputs["bias"] = randn(g, c, scale=0.5)
        params = {"training": training, "momentum": momentum, "eps": 1e-5}
        holder = {}

        def fn(x, running_mean=None, running_var=None, weight=None, bias=None, training=training, momentum=momentum):
            holder["rm"], holder["rv"] = running_mean, running_var
            return F.batch_norm(x, running_mean, running_var, weight, bias, training=training, momentum=momentum, eps=1e-5)

        def extra(_leaves):
            return {"running_mean": holder["rm"], "running_var": holder["rv"]} if running else {}

        grad_of = ("x", "weight", "bias") if affine else ("x",)
        cases.append(run_case(name, "batch_norm", params, inputs, fn, grad_of=grad_of, extra_outputs=extra))
    return cases


def batch_norm_module_cases():
    """Stateful nn.BatchNorm1d/2d: several training steps, then evaluation; records the buffers after every call."""
    cases = []
    # name, module kind, input shape, momentum, affine, track_running_stats, modes
    specs = [
        ("bn2d_momentum0.1_3steps", "BatchNorm2d", (3, 4, 3, 3), 0.1, True, True, ["train", "train", "train", "eval"]),
        ("bn2d_cumulative_3steps", "BatchNorm2d", (2, 3, 4, 3), None, True, True, ["train", "train", "train", "eval"]),
        ("bn2d_noAffine_momentum0.1", "BatchNorm2d", (2, 3, 3, 4), 0.1, False, True, ["train", "train", "eval"]),
        ("bn2d_noTracking", "BatchNorm2d", (3, 2, 3, 3), 0.1, True, False, ["train", "eval"]),
        ("bn1d_NC_momentum0.1", "BatchNorm1d", (6, 3), 0.1, True, True, ["train", "train", "eval"]),
        ("bn1d_NCL_cumulative", "BatchNorm1d", (4, 3, 5), None, True, True, ["train", "train", "train", "eval"]),
    ]
    for (tag, kind, shape, momentum, affine, track, modes) in specs:
        name = "module_" + tag
        g = gen(name)
        c = shape[1]
        cls = nn.BatchNorm2d if kind == "BatchNorm2d" else nn.BatchNorm1d
        m = cls(c, eps=1e-5, momentum=momentum, affine=affine, track_running_stats=track)
        initial = {}
        if affine:
            with torch.no_grad():
                m.weight.copy_(randn(g, c, scale=0.5, shift=1.0))
                m.bias.copy_(randn(g, c, scale=0.5))
            initial = {"weight": m.weight.detach().clone(), "bias": m.bias.detach().clone()}
        steps = []
        for i, mode in enumerate(modes):
            m.train(mode == "train")
            x = randn(g, *shape, scale=1.5, shift=float(i) * 0.5)
            xl = leaf(x)
            if affine:
                m.weight.grad = None
                m.bias.grad = None
            y = m(xl)
            up = randn(g, *y.shape)
            (y * up).sum().backward()
            step = {"name": f"{name}/step{i}", "op": kind, "params": {"mode": mode},
                    "inputs": {"x": enc(x)}, "outputs": {"out": enc(y)}, "upstream": enc(up),
                    "grads": {"x": enc(xl.grad)}}
            if affine:
                step["grads"]["weight"] = enc(m.weight.grad)
                step["grads"]["bias"] = enc(m.bias.grad)
            if track:
                step["outputs"]["running_mean"] = enc(m.running_mean)
                step["outputs"]["running_var"] = enc(m.running_var)
                step["outputs"]["num_batches_tracked"] = enc(m.num_batches_tracked.float())
            steps.append(step)
        case = {"name": name, "op": kind,
                "params": {"num_features": c, "momentum": momentum, "affine": affine, "track_running_stats": track, "eps": 1e-5},
                "inputs": {k: enc(v) for k, v in initial.items()}, "outputs": {}, "steps": steps}
        cases.append(case)
    return cases


def layer_norm_cases():
    cases = []
    # name, shape, normalized shape, affine, shift of the data
    specs = [
        ("last1_affine", (2, 3, 5), [5], True, 0.0),
        ("last1_noAffine", (4, 6), [6], False, 0.0),
        ("last2_affine", (2, 3, 4), [3, 4], True, 0.0),
        ("last2_noAffine", (3, 2, 5), [2, 5], False, 0.0),
        ("last1_affine_largeOffset", (3, 8), [8], True, 50.0),
    ]
    for (tag, shape, ns, affine, shift) in specs:
        name = "layer_norm_" + tag
        g = gen(name)
        inputs = {"x": randn(g, *shape, scale=1.5, shift=shift)}
        if affine:
            inputs["weight"] = randn(g, *ns, scale=0.5, shift=1.0)
            inputs["bias"] = randn(g, *ns, scale=0.5)

        def fn(x, weight=None, bias=None, ns=ns):
            return F.layer_norm(x, ns, weight, bias, eps=1e-5)

        cases.append(run_case(name, "layer_norm", {"normalized_shape": ns, "eps": 1e-5}, inputs, fn,
                              grad_of=tuple(inputs.keys())))
    return cases


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------
def activation_cases():
    cases = []
    base = [-100.0, -30.0, -8.0, -4.5, -2.0, -1.25, -0.5, -0.1, 0.1, 0.5, 1.25, 2.0, 4.5, 8.0, 30.0, 100.0]

    def around(points, eps=(1e-3, 1e-6)):
        out = []
        for p in points:
            out.append(p)
            for e in eps:
                out += [p - e, p + e]
        return out

    # kinks: relu/leaky/elu at 0, relu6 at 0 and 6, hardswish/hardsigmoid at ±3
    x_kinks = torch.tensor(sorted(set(base + around([0.0, 6.0, -3.0, 3.0]))), dtype=torch.float32)
    specs = [
        ("relu", {}, lambda x: F.relu(x)),
        ("relu6", {}, lambda x: F.relu6(x)),
        ("leaky_relu", {"negative_slope": 0.01}, lambda x: F.leaky_relu(x, 0.01)),
        ("leaky_relu", {"negative_slope": 0.2}, lambda x: F.leaky_relu(x, 0.2)),
        ("elu", {"alpha": 1.0}, lambda x: F.elu(x, 1.0)),
        ("elu", {"alpha": 0.5}, lambda x: F.elu(x, 0.5)),
        ("sigmoid", {}, lambda x: torch.sigmoid(x)),
        ("tanh", {}, lambda x: torch.tanh(x)),
        ("hardswish", {}, lambda x: F.hardswish(x)),
        ("hardsigmoid", {}, lambda x: F.hardsigmoid(x)),
        ("silu", {}, lambda x: F.silu(x)),
        ("gelu", {"approximate": "none"}, lambda x: F.gelu(x, approximate="none")),
        ("gelu", {"approximate": "tanh"}, lambda x: F.gelu(x, approximate="tanh")),
    ]
    for (op, params, f) in specs:
        name = op + "".join(f"_{k}{v}" for k, v in params.items())
        g = gen(name)
        grid = x_kinks
        if op == "hardswish":
            # PyTorch 1.13 is not self-consistent at exactly x = +3: its vectorised CPU kernel takes the x >= 3 branch
            # (gradient g) while its scalar kernel, and the documented formula, take x <= 3 (gradient 1.5 g). Which one
            # runs depends on the element's position, so +3 itself is left out here and pinned by a one-element case below.
            grid = x_kinks[x_kinks != 3.0]
        # the kink/large-magnitude grid plus a batch of ordinary values, as a [2, n] matrix
        dense = randn(g, grid.numel(), scale=2.0)
        x = torch.stack([grid, dense])
        cases.append(run_case(name, op, params, {"x": x}, f, grad_of=("x",)))

    # One element at a time runs PyTorch's scalar hardswish kernel: gradient (x/3 + 0.5) g for -3 <= x <= 3.
    for value in (3.0, -3.0):
        name = f"hardswish_scalarKernel_at{value}"
        x = torch.tensor([value], dtype=torch.float32)
        cases.append(run_case(name, "hardswish", {}, {"x": x}, lambda x: F.hardswish(x), grad_of=("x",)))

    # softplus: values straddling beta*x = threshold for each setting
    for beta, threshold in ((1.0, 20.0), (2.0, 10.0), (0.5, 5.0)):
        name = f"softplus_beta{beta}_threshold{threshold}"
        g = gen(name)
        edge = threshold / beta
        special = torch.tensor(base + around([edge, -edge], eps=(1e-2, 1e-4)) + [0.0], dtype=torch.float32)
        dense = randn(g, special.numel(), scale=3.0)
        x = torch.stack([special, dense])
        cases.append(run_case(name, "softplus", {"beta": beta, "threshold": threshold}, {"x": x},
                              lambda x, beta=beta, threshold=threshold: F.softplus(x, beta, threshold), grad_of=("x",)))

    for op, f in (("softmax", F.softmax), ("log_softmax", F.log_softmax)):
        for dim in (0, 1, -1):
            name = f"{op}_dim{dim}"
            g = gen(name)
            x = randn(g, 3, 4, 5, scale=3.0)
            cases.append(run_case(name, op, {"dim": dim}, {"x": x}, lambda x, f=f, dim=dim: f(x, dim=dim), grad_of=("x",)))
        # stable softmax: logits far beyond exp's float32 range, with ties and a -inf-free spread
        name = f"{op}_hugeLogits"
        x = torch.tensor([[1000.0, 999.0, -1000.0, 998.5, 1000.0],
                          [-5000.0, -5001.0, -4999.5, -5003.0, -5000.0],
                          [88.0, 89.0, 90.0, -90.0, 0.0],
                          [3.0e4, -3.0e4, 0.0, 1.0e4, 2.99e4]], dtype=torch.float32)
        cases.append(run_case(name, op, {"dim": -1}, {"x": x}, lambda x, f=f: f(x, dim=-1), grad_of=("x",)))
    return cases


# --------------------------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------------------------
def loss_cases():
    cases = []

    def ce_case(tag, shape, targets, weight=None, ignore_index=-100, reduction="mean", smoothing=0.0, prob_target=False):
        name = "cross_entropy_" + tag
        g = gen(name)
        inputs = {"x": randn(g, *shape, scale=2.0)}
        if prob_target:
            inputs["target"] = torch.softmax(randn(g, *shape, scale=1.5), dim=1)
        else:
            target_shape = [] if len(shape) == 1 else [shape[0]] + list(shape[2:])
            inputs["target"] = torch.tensor(targets, dtype=torch.float32).reshape(target_shape)
        if weight is not None:
            inputs["weight"] = torch.tensor(weight, dtype=torch.float32)
        params = {"ignore_index": ignore_index, "reduction": reduction, "label_smoothing": smoothing}

        def fn(x, target, weight=None):
            t = target if prob_target else target.long()
            return F.cross_entropy(x, t, weight=weight, ignore_index=ignore_index, reduction=reduction, label_smoothing=smoothing)

        cases.append(run_case(name, "cross_entropy", params, inputs, fn, grad_of=("x",)))

    t5 = [2, 0, 3, 1, 3]
    w4 = [0.5, 2.0, 1.0, 1.5]
    for red in ("mean", "sum", "none"):
        ce_case(f"plain_{red}", (5, 4), t5, reduction=red)
        ce_case(f"weighted_{red}", (5, 4), t5, weight=w4, reduction=red)
        ce_case(f"smoothing0.1_{red}", (5, 4), t5, reduction=red, smoothing=0.1)
        ce_case(f"smoothing0.2_weighted_{red}", (5, 4), t5, weight=w4, reduction=red, smoothing=0.2)
    ce_case("ignoreDefault_mean", (5, 4), [2, -100, 3, -100, 1])
    ce_case("ignoreDefault_weighted_sum", (5, 4), [2, -100, 3, -100, 1], weight=w4, reduction="sum")
    ce_case("ignore2_weighted_mean", (6, 4), [2, 0, 2, 1, 3, 2], weight=w4, ignore_index=2)
    ce_case("ignore2_smoothing0.1_weighted_mean", (6, 4), [2, 0, 2, 1, 3, 2], weight=w4, ignore_index=2, smoothing=0.1)
    ce_case("ignoreDefault_smoothing0.1_none", (5, 4), [2, -100, 3, -100, 1], reduction="none", smoothing=0.1)
    ce_case("unbatched_weighted_smoothing0.1_mean", (4,), [2], weight=w4, smoothing=0.1)
    ce_case("nchw_mean", (2, 3, 2, 3), [0, 1, 2, 2, 1, 0, 1, 1, 0, 2, 2, 0])
    ce_case("nchw_weighted_ignore_mean", (2, 3, 2, 3), [0, 1, -100, 2, 1, 0, 1, -100, 0, 2, 2, 0], weight=[1.0, 0.3, 2.0])
    ce_case("nchw_smoothing0.1_none", (2, 3, 2, 3), [0, 1, 2, 2, 1, 0, 1, 1, 0, 2, 2, 0], reduction="none", smoothing=0.1)
    ce_case("probTarget_mean", (4, 5), None, prob_target=True)
    ce_case("probTarget_weighted_sum", (4, 5), None, weight=[1.0, 0.5, 2.0, 1.5, 0.25], reduction="sum", prob_target=True)
    ce_case("probTarget_smoothing0.1_none", (4, 5), None, reduction="none", smoothing=0.1, prob_target=True)
    ce_case("probTarget_nchw_weighted_smoothing0.2_mean", (2, 3, 2, 2), None, weight=[1.0, 0.3, 2.0], smoothing=0.2, prob_target=True)

    # nll_loss on log-probabilities
    def nll_case(tag, shape, targets, weight=None, ignore_index=-100, reduction="mean"):
        name = "nll_loss_" + tag
        g = gen(name)
        inputs = {"x": torch.log_softmax(randn(g, *shape, scale=2.0), dim=1),
                  "target": torch.tensor(targets, dtype=torch.float32).reshape([shape[0]] + list(shape[2:]))}
        if weight is not None:
            inputs["weight"] = torch.tensor(weight, dtype=torch.float32)
        params = {"ignore_index": ignore_index, "reduction": reduction}
        cases.append(run_case(name, "nll_loss", params, inputs,
                              lambda x, target, weight=None: F.nll_loss(x, target.long(), weight=weight, ignore_index=ignore_index, reduction=reduction),
                              grad_of=("x",)))

    for red in ("mean", "sum", "none"):
        nll_case(f"plain_{red}", (5, 4), t5, reduction=red)
        nll_case(f"weighted_{red}", (5, 4), t5, weight=w4, reduction=red)
    nll_case("weighted_ignore3_mean", (5, 4), t5, weight=w4, ignore_index=3)
    nll_case("nchw_weighted_mean", (2, 3, 2, 2), [0, 2, 1, 1, 2, 0, 0, 1], weight=[0.2, 1.0, 3.0])

    # regression losses (element 0 of the target equals the input, exercising |0| in l1)
    for op, f in (("mse_loss", F.mse_loss), ("l1_loss", F.l1_loss)):
        for red in ("mean", "sum", "none"):
            name = f"{op}_{red}"
            g = gen(name)
            x = randn(g, 3, 4)
            t = randn(g, 3, 4)
            t[0, 0] = x[0, 0]
            cases.append(run_case(name, op, {"reduction": red}, {"x": x, "target": t},
                                  lambda x, target, f=f, red=red: f(x, target, reduction=red), grad_of=("x",)))

    # binary cross-entropy on probabilities
    for tag, red, weighted in (("mean", "mean", False), ("sum", "sum", False), ("none", "none", False),
                               ("weighted_mean", "mean", True), ("weighted_none", "none", True)):
        name = f"binary_cross_entropy_{tag}"
        g = gen(name)
        inputs = {"x": rand(g, 4, 3, low=0.02, high=0.98), "target": rand(g, 4, 3)}
        inputs["target"][0, :] = torch.tensor([0.0, 1.0, 0.5])
        if weighted:
            inputs["weight"] = rand(g, 3, low=0.2, high=2.0)
        # the target gradient, log(1 - x) - log(x), is checked where the probabilities are not saturated
        cases.append(run_case(name, "binary_cross_entropy", {"reduction": red}, inputs,
                              lambda x, target, weight=None, red=red: F.binary_cross_entropy(x, target, weight=weight, reduction=red),
                              grad_of=("x", "target") if weighted else ("x",)))
    # saturated probabilities: log terms clamp at -100; PyTorch's backward divides by max(x(1 - x), 1e-12)
    name = "binary_cross_entropy_saturated_sum"
    x = torch.tensor([[0.0, 1.0, 0.0, 1.0, 1e-30, 0.5]], dtype=torch.float32)
    t = torch.tensor([[1.0, 0.0, 0.0, 1.0, 1.0, 0.25]], dtype=torch.float32)
    cases.append(run_case(name, "binary_cross_entropy", {"reduction": "sum"}, {"x": x, "target": t},
                          lambda x, target: F.binary_cross_entropy(x, target, reduction="sum"), grad_of=("x",)))

    # binary cross-entropy with logits: logits exactly 0 and large magnitudes
    special = torch.tensor([0.0, 0.0, -30.0, 30.0, -100.0, 100.0, 2.5, -1.5], dtype=torch.float32)
    for tag, red, weighted, pw in (("mean", "mean", False, False), ("sum", "sum", False, False), ("none", "none", False, False),
                                   ("posWeight_mean", "mean", False, True), ("weight_posWeight_none", "none", True, True),
                                   ("weight_sum", "sum", True, False)):
        name = f"binary_cross_entropy_with_logits_{tag}"
        g = gen(name)
        x = torch.stack([special, randn(g, 8, scale=3.0), randn(g, 8, scale=3.0)])
        t = rand(g, 3, 8)
        t[0, :] = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.3, 0.7])
        inputs = {"x": x, "target": t}
        if weighted:
            inputs["weight"] = rand(g, 3, 1, low=0.2, high=2.0)
        if pw:
            inputs["pos_weight"] = rand(g, 8, low=0.5, high=3.0)
        cases.append(run_case(name, "binary_cross_entropy_with_logits", {"reduction": red}, inputs,
                              lambda x, target, weight=None, pos_weight=None, red=red:
                              F.binary_cross_entropy_with_logits(x, target, weight=weight, pos_weight=pos_weight, reduction=red),
                              grad_of=("x",)))

    # kl_div with log-probability inputs; probability targets contain exact zeros
    for log_target in (False, True):
        for red in ("batchmean", "sum", "mean", "none"):
            name = f"kl_div_logTarget{log_target}_{red}"
            g = gen(name)
            x = torch.log_softmax(randn(g, 4, 5, scale=1.5), dim=1)
            p = torch.softmax(randn(g, 4, 5, scale=1.5), dim=1)
            if log_target:
                t = torch.log(p)
            else:
                p[0, 1] = 0.0
                p[2, 4] = 0.0
                t = p
            cases.append(run_case(name, "kl_div", {"reduction": red, "log_target": log_target}, {"x": x, "target": t},
                                  lambda x, target, red=red, log_target=log_target: F.kl_div(x, target, reduction=red, log_target=log_target),
                                  grad_of=("x",)))
    return cases


# --------------------------------------------------------------------------------------------
# one_hot, pad, linear, matmul
# --------------------------------------------------------------------------------------------
def misc_cases():
    cases = []
    for tag, idx, classes in (("1d", [3, 0, 4, 1, 1], 5), ("2d", [[0, 2, 1], [2, 2, 0]], 3)):
        name = "one_hot_" + tag
        i = torch.tensor(idx)
        cases.append(run_case(name, "one_hot", {"num_classes": classes}, {"indices": i.float()},
                              lambda indices, classes=classes: F.one_hot(indices.long(), classes).float()))

    pad_specs = [
        ("constant_last1", (2, 3, 4), [1, 2], "constant", 0.0),
        ("constant_last2_value1.5", (2, 3, 4), [1, 2, 3, 0], "constant", 1.5),
        ("constant_last3", (2, 2, 3), [0, 1, 2, 1, 1, 0], "constant", -2.0),
        ("constant_negativeCrop", (2, 5, 6), [-1, 2, 1, -2], "constant", 0.5),
        ("constant_negativeCropBothSides", (1, 2, 5, 6), [-2, -1, -1, -3], "constant", 0.0),
        ("reflect_last2", (2, 3, 4, 5), [2, 1, 1, 2], "reflect", 0.0),
        ("reflect_last1", (2, 3, 6), [3, 1], "reflect", 0.0),
        ("reflect_maximalPads", (1, 2, 3, 4), [3, 3, 2, 2], "reflect", 0.0),
        ("replicate_last2", (1, 2, 3, 4), [2, 3, 1, 0], "replicate", 0.0),
        ("replicate_last1", (2, 2, 5), [0, 4], "replicate", 0.0),
        ("circular_last2", (1, 2, 4, 5), [1, 2, 2, 1], "circular", 0.0),
        ("circular_last1", (2, 3, 5), [2, 3], "circular", 0.0),
        ("circular_fullWrap", (1, 1, 4, 5), [5, 0, 4, 4], "circular", 0.0),
    ]
    for (tag, shape, pads, mode, value) in pad_specs:
        name = "pad_" + tag
        g = gen(name)
        x = randn(g, *shape)
        cases.append(run_case(name, "pad", {"pads": pads, "mode": mode, "value": value}, {"x": x},
                              lambda x, pads=pads, mode=mode, value=value:
                              F.pad(x, pads, mode=mode, value=value) if mode == "constant" else F.pad(x, pads, mode=mode),
                              grad_of=("x",)))

    for tag, xshape, out, has_bias in (("2d_bias", (4, 5), 3, True), ("3d_nobias", (2, 3, 5), 4, False), ("3d_bias", (2, 3, 6), 2, True), ("1d_bias", (5,), 3, True)):
        name = "linear_" + tag
        g = gen(name)
        inputs = {"x": randn(g, *xshape), "weight": randn(g, out, xshape[-1], scale=0.5)}
        if has_bias:
            inputs["bias"] = randn(g, out)
        cases.append(run_case(name, "linear", {}, inputs, lambda x, weight, bias=None: F.linear(x, weight, bias),
                              grad_of=tuple(inputs.keys())))

    for tag, ashape, bshape in (("3d_by_2d", (2, 3, 4), (4, 5)),
                                ("broadcast_4d_by_3d", (2, 1, 3, 4), (3, 4, 2)),
                                ("broadcast_batch1_by_batch3", (1, 2, 3), (3, 3, 4)),
                                ("vector_by_3d", (4,), (2, 4, 3)),
                                ("3d_by_vector", (2, 3, 4), (4,)),
                                ("2d_by_2d", (3, 5), (5, 2)),
                                ("2d_by_vector", (3, 5), (5,)),
                                ("vector_by_vector", (6,), (6,))):
        name = "matmul_" + tag
        g = gen(name)
        inputs = {"a": randn(g, *ashape), "b": randn(g, *bshape)}
        cases.append(run_case(name, "matmul", {}, inputs, lambda a, b: torch.matmul(a, b), grad_of=("a", "b")))
    return cases


# --------------------------------------------------------------------------------------------
# Default initialisation statistics
# --------------------------------------------------------------------------------------------
def init_cases():
    torch.manual_seed(20240607)
    cases = []

    def stats(t):
        a = t.detach().double()
        return {"shape": list(t.shape), "max_abs": a.abs().max().item(), "mean": a.mean().item(), "std": a.std().item(), "count": a.numel()}

    for tag, layer in (("conv2d_16to2048_k5", nn.Conv2d(16, 2048, 5)),
                       ("conv2d_64to128_k3_groups4", nn.Conv2d(64, 128, 3, groups=4)),
                       ("linear_300to2000", nn.Linear(300, 2000))):
        w = layer.weight
        fan_in = w.shape[1] * (w[0][0].numel() if w.dim() > 2 else 1)
        fan_out = w.shape[0] * (w[0][0].numel() if w.dim() > 2 else 1)
        params = {"layer": tag.split("_")[0], "in": layer.in_channels if hasattr(layer, "in_channels") else layer.in_features,
                  "out": layer.out_channels if hasattr(layer, "out_channels") else layer.out_features,
                  "kernel": layer.kernel_size[0] if hasattr(layer, "kernel_size") else 0,
                  "groups": layer.groups if hasattr(layer, "groups") else 1,
                  "fan_in": fan_in, "fan_out": fan_out,
                  # kaiming_uniform(a=sqrt(5)): gain = sqrt(2 / (1 + 5)), bound = gain * sqrt(3 / fan_in) = 1 / sqrt(fan_in)
                  "weight_bound": math.sqrt(2.0 / 6.0) * math.sqrt(3.0 / fan_in),
                  "bias_bound": 1.0 / math.sqrt(fan_in),
                  "weight": stats(w), "bias": stats(layer.bias)}
        cases.append({"name": "init_" + tag, "op": "default_init", "params": params, "inputs": {}, "outputs": {}})

    bn = nn.BatchNorm2d(6)
    cases.append({"name": "init_batchnorm2d_6", "op": "batch_norm_init", "params": {"num_features": 6}, "inputs": {},
                  "outputs": {"weight": enc(bn.weight), "bias": enc(bn.bias), "running_mean": enc(bn.running_mean),
                              "running_var": enc(bn.running_var), "num_batches_tracked": enc(bn.num_batches_tracked.float())}})
    return cases


def main():
    write("conv2d.json", conv_cases())
    write("pooling.json", pool_cases())
    write("normalization.json", batch_norm_functional_cases() + batch_norm_module_cases() + layer_norm_cases())
    write("activations.json", activation_cases())
    write("losses.json", loss_cases())
    write("misc.json", misc_cases())
    write("init.json", init_cases())


if __name__ == "__main__":
    main()
