#!/usr/bin/env bash
# Side-by-side speed comparison of NasKit.Tensors and the PyTorch CPU peer (shared/perf/README.md).
# Runs peer, NasKit, peer, NasKit, ... ROUNDS times each (interleaved, so drift and noise hit both sides alike), takes the
# median of each side per workload, and prints the ratio table: > 1 means NasKit is faster (throughput: NasKit / PyTorch;
# latency in ms: PyTorch / NasKit).
#
#   perf/compare.sh [--rounds N] [--threads N] [--peer PATH/peer_pytorch.py] [--only NAME[,NAME...]] [--out DIR] [--artifacts DIR]
#
# Raw JSON lines of every run are kept in the output folder (default perf/results/<UTC timestamp>/) with the table.
# --artifacts DIR builds NasKit.Perf with `--artifacts-path DIR` (use your own folder when others build in the same tree).
# Environment variables reach the NasKit runs, e.g. NASKIT_CONV_ALGORITHM=autof2 for an A/B run of the convolution choice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
rounds=3
threads=2
only=""
peer=""
out=""
artifacts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --peer) peer="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --artifacts) artifacts="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [ -z "$peer" ]; then
  for candidate in "$root/../shared/perf/peer_pytorch.py" "$root/shared/perf/peer_pytorch.py"; do
    [ -f "$candidate" ] && peer="$candidate" && break
  done
fi
if [ -z "$peer" ] || [ ! -f "$peer" ]; then
  echo "peer_pytorch.py not found; pass --peer PATH" >&2
  exit 2
fi
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "PyTorch is missing: apt-get install python3-torch libopenblas0-pthread" >&2
  exit 2
fi
out="${out:-$here/results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
only_args=()
[ -n "$only" ] && only_args=(--only "$only")

echo "building NasKit.Perf (Release)..." >&2
if [ -n "$artifacts" ]; then
  dotnet build "$here/NasKit.Perf/NasKit.Perf.csproj" -c Release -nologo -v quiet --artifacts-path "$artifacts" >&2
  perf_dll="$artifacts/bin/NasKit.Perf/release/NasKit.Perf.dll"
else
  dotnet build "$here/NasKit.Perf/NasKit.Perf.csproj" -c Release -nologo -v quiet >&2
  perf_dll="$here/NasKit.Perf/bin/Release/net10.0/NasKit.Perf.dll"
fi
[ -f "$perf_dll" ] || { echo "build output not found: $perf_dll" >&2; exit 1; }

for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds: pytorch" >&2
  /usr/bin/python3 "$peer" --threads "$threads" "${only_args[@]}" > "$out/pytorch-$r.jsonl"
  echo "round $r/$rounds: naskit" >&2
  dotnet "$perf_dll" --threads "$threads" "${only_args[@]}" > "$out/naskit-$r.jsonl"
done

/usr/bin/python3 - "$out" "$rounds" "$threads" <<'PY' | tee "$out/ratios.md"
import json, statistics, sys, glob, os, platform
out, rounds, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(side):
    values = {}
    for path in sorted(glob.glob(os.path.join(out, f"{side}-*.jsonl"))):
        for line in open(path):
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            values.setdefault(d["workload"], (d["unit"], []))[1].append(d["value"])
    return values
torch, naskit = load("pytorch"), load("naskit")
print(f"NasKit vs PyTorch, {threads} threads, median of {rounds} interleaved runs per side ({platform.processor() or platform.machine()})\n")
print("| workload | unit | PyTorch | NasKit | ratio (>1: NasKit faster) |")
print("| --- | --- | ---: | ---: | ---: |")
for name, (unit, tv) in torch.items():
    if name not in naskit:
        continue
    t, n = statistics.median(tv), statistics.median(naskit[name][1])
    ratio = t / n if unit == "ms" else n / t
    print(f"| {name} | {unit} | {t:.2f} | {n:.2f} | {ratio:.2f} |")
PY
echo "raw results and table: $out" >&2
