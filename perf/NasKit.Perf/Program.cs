// NasKit side of the PyTorch peer comparison (shared/perf/README.md): the same workloads, the same timing protocol, one JSON
// object per line on stdout in the peer's format. Diagnostics go to stderr.
//   dotnet run -c Release --project perf/NasKit.Perf -- --threads 2 [--quick] [--only NAME[,NAME]] [--peak] [--list]
//   --profile STEPS prints, per workload, a kernel profile of STEPS calls to stderr (results then are not comparable).
using NasKit.Perf;
using NasKit.Perf.Workloads;
using NasKit.Tensors;

var threads = 2;
var quick = false;
var peak = false;
var profile = 0;
var only = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out var t) && t >= 1:
            threads = t;
            i++;
            break;
        case "--quick":
            quick = true;
            break;
        case "--peak":
            peak = true;
            break;
        case "--profile" when i + 1 < args.Length && int.TryParse(args[i + 1], out var steps) && steps >= 1:
            profile = steps;
            i++;
            break;
        case "--only" when i + 1 < args.Length:
            only.AddRange(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            break;
        case "--list":
            foreach (var n in WorkloadRunner.Names.Concat(WorkloadRunner.Extra))
            {
                Console.WriteLine(n);
            }

            return 0;
        default:
            Console.Error.WriteLine($"Unknown or malformed argument '{args[i]}'. Usage: [--threads N>=1] [--quick] [--only NAME[,NAME...]] [--peak] [--profile STEPS] [--list]");
            return 2;
    }
}

var unknown = only.Where(n => !WorkloadRunner.Names.Contains(n) && !WorkloadRunner.Extra.Contains(n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown workload(s): {string.Join(", ", unknown)} (known: {string.Join(", ", WorkloadRunner.Names.Concat(WorkloadRunner.Extra))}).");
    return 2;
}

TensorEngine.ThreadCount = threads;
Console.Error.WriteLine($"NasKit.Perf: {threads} threads, {(quick ? "quick (not comparable)" : "full")} run, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
    $"AVX-512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
var runner = new WorkloadRunner(new Report(threads, quick || profile > 0), quick, profile);
var names = only.Count > 0 ? only : WorkloadRunner.Names.Concat(peak ? WorkloadRunner.Extra : []).ToList();
foreach (var name in names)
{
    runner.Run(name);
}

return 0;
