#!/usr/bin/env python3
"""PyTorch side of the NasKit safetensors interop tests (SafeTensorsInteropTests.cs).

There is no `safetensors` Python package on the build machines, so this file carries a minimal reader and writer
written from the public format description: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}, then raw little-endian data.

Commands (each prints one JSON document on stdout):
  check                              -> {"torch": version}
  run-naskit-model MODEL INPUT       -> loads MODEL into the reference CNN with load_state_dict(strict=True), evaluates
                                        the tensor "input" of INPUT in eval mode, prints {"shape": [...], "output": [...]}
  make-torch-model OUTDIR            -> seeded CNN, three training steps of batch-norm statistics, writes
                                        OUTDIR/model.safetensors (state_dict incl. int64 num_batches_tracked) and
                                        OUTDIR/io.safetensors ("input", "output" in eval mode)
  describe FILE                      -> prints every tensor's dtype, shape and values, and the metadata
  make-dtypes FILE                   -> writes one tensor per supported dtype with fixed values
"""
import json
import struct
import sys

import torch

DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}
CODES = {v: k for k, v in DTYPES.items()}


def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        dtype = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        shape = info["shape"]
        if end == begin:
            tensors[name] = torch.empty(shape, dtype=dtype)
        else:
            tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype).reshape(shape)
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    assert sys.byteorder == "little"
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    chunks = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        raw = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() > 0 else b""
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)


def reference_cnn():
    # Must match SafeTensorsInteropTests.CreateCnn: input [N, 3, 8, 8] -> [N, 5].
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1),
        torch.nn.BatchNorm2d(4),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(4 * 4 * 4, 5),
    )


def run_naskit_model(model_path, input_path):
    state, _ = read_safetensors(model_path)
    model = reference_cnn()
    model.load_state_dict(state, strict=True)
    model.eval()
    inputs, _ = read_safetensors(input_path)
    with torch.no_grad():
        out = model(inputs["input"])
    return {"shape": list(out.shape), "output": out.reshape(-1).tolist(),
            "num_batches_tracked": int(model[1].num_batches_tracked)}


def make_torch_model(outdir):
    torch.manual_seed(1234)
    model = reference_cnn()
    with torch.no_grad():
        model[1].weight.uniform_(0.5, 1.5)
        model[1].bias.uniform_(-0.5, 0.5)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(4, 3, 8, 8) * 2.0 + 0.5)
    model.eval()
    x = torch.randn(2, 3, 8, 8)
    with torch.no_grad():
        y = model(x)
    write_safetensors(outdir + "/model.safetensors", model.state_dict(), {"format": "pt"})
    write_safetensors(outdir + "/io.safetensors", {"input": x, "output": y})
    return {"num_batches_tracked_dtype": str(model[1].num_batches_tracked.dtype)}


def describe(path):
    tensors, metadata = read_safetensors(path)
    return {"metadata": metadata,
            "tensors": [{"name": k, "dtype": CODES[v.dtype], "shape": list(v.shape),
                         "values": v.double().reshape(-1).tolist()} for k, v in tensors.items()]}


def make_dtypes(path):
    tensors = {
        "f64": torch.tensor([1.5, -2.25, 1e300, 0.1], dtype=torch.float64),
        "f32": torch.tensor([[1.0, -0.5], [3.25, 1e-40]], dtype=torch.float32),
        "f16": torch.tensor([1.0, -2.0, 65504.0, 0.0001], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -3.0, 0.1], dtype=torch.bfloat16),
        "i64": torch.tensor([3, -5, 2 ** 40, 16777217], dtype=torch.int64),
        "i32": torch.tensor([7, -2147483648], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 17], dtype=torch.uint8),
        "bool": torch.tensor([[True, False], [False, True]]),
        "scalar_i64": torch.tensor(42, dtype=torch.int64),
        "empty_f16": torch.empty(0, 3, dtype=torch.float16),
    }
    write_safetensors(path, tensors, {"made_by": "safetensors_interop.py"})
    return {"count": len(tensors)}


def main(argv):
    command = argv[1]
    if command == "check":
        result = {"torch": torch.__version__}
    elif command == "run-naskit-model":
        result = run_naskit_model(argv[2], argv[3])
    elif command == "make-torch-model":
        result = make_torch_model(argv[2])
    elif command == "describe":
        result = describe(argv[2])
    elif command == "make-dtypes":
        result = make_dtypes(argv[2])
    else:
        raise SystemExit("unknown command " + command)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
