using NasKit.Tensors;
using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;

namespace NasKit.Perf.Workloads;

/// <summary>The peer's workloads (shared/perf/README.md), defined the same way and timed with the same protocol.</summary>
internal sealed class WorkloadRunner(Report report, bool quick, int profileSteps = 0)
{
    public static readonly string[] Names =
    [
        "sgemm-256", "sgemm-512", "sgemm-1024", "conv3x3-fwd", "conv3x3-fwdbwd", "nb201-train-step", "nb201-infer-b1",
        "nb201-infer-b256", "nb201-supernet-step", "fmnist-cnn-train-step",
    ];

    public static readonly string[] Extra = ["peak-sgemm-2048"];

    private int Iters(int full, int quickValue) => quick ? quickValue : full;

    private double MinRep(double full, double quickValue) => quick ? quickValue : full;

    private string CurrentName { get; set; } = string.Empty;

    public void Run(string name)
    {
        CurrentName = name;
        switch (name)
        {
            case "sgemm-256": Sgemm(256); break;
            case "sgemm-512": Sgemm(512); break;
            case "sgemm-1024": Sgemm(1024); break;
            case "peak-sgemm-2048": Sgemm(2048, "peak-sgemm-2048"); break;
            case "conv3x3-fwd": Conv(backward: false); break;
            case "conv3x3-fwdbwd": Conv(backward: true); break;
            case "nb201-train-step": Nb201Train(); break;
            case "nb201-infer-b1": Nb201Infer(1); break;
            case "nb201-infer-b256": Nb201Infer(256); break;
            case "nb201-supernet-step": Nb201Supernet(); break;
            case "fmnist-cnn-train-step": FashionMnistTrain(); break;
            default: throw new ArgumentException($"Unknown workload '{name}'.");
        }
    }

    private void Sgemm(int n, string? name = null)
    {
        var g = new Generator(n);
        using var a = Tensor.Randn([n, n], g);
        using var b = Tensor.Randn([n, n], g);
        var m = Time(name: CurrentName, () =>
        {
            using var c = a.Mm(b);
        }, Iters(5, 2), Iters(15, 5), MinRep(0.25, 0.05));
        var flop = 2.0 * n * n * n;
        report.Throughput(name ?? $"sgemm-{n}", "GFLOP/s", flop / 1e9, m, ("n", n), ("dtype", "float32"), ("flop_per_iter", flop));
    }

    private void Conv(bool backward)
    {
        const int N = 64, C = 16, H = 32, W = 32;
        var g = new Generator(1);
        using var x = Tensor.Randn([N, C, H, W], g);
        using var w = Tensor.Randn([C, C, 3, 3], g).Mul(1f / MathF.Sqrt(C * 9));
        var fwd = 2.0 * N * C * H * W * C * 9;
        Measurement m;
        if (!backward)
        {
            m = Time(name: CurrentName, () =>
            {
                using (Autograd.NoGrad())
                {
                    using var y = Functional.Conv2d(x, w, null, 1, 1);
                }
            }, Iters(5, 2), Iters(15, 5), MinRep(0.25, 0.05));
        }
        else
        {
            using var xg = x.Clone().WithRequiresGrad();
            using var wg = w.Clone().WithRequiresGrad();
            using var gy = Tensor.Randn([N, C, H, W], g);
            m = Time(name: CurrentName, () =>
            {
                using var scope = TensorScope.Begin();
                var y = Functional.Conv2d(xg, wg, null, 1, 1);
                _ = Autograd.Grad([y], [xg, wg], [gy]);
            }, Iters(5, 2), Iters(15, 5), MinRep(0.25, 0.05));
        }

        var flop = backward ? 3 * fwd : fwd;
        report.Throughput(backward ? "conv3x3-fwdbwd" : "conv3x3-fwd", "GFLOP/s", flop / 1e9, m,
            ("batch", N), ("cin", C), ("cout", C), ("hw", H), ("kernel", 3), ("padding", 1), ("bias", false), ("flop_per_iter", flop));
    }

    private static (Tensor X, int[] Y) CifarBatch(int n, long seed)
    {
        var g = new Generator(seed);
        var x = Tensor.Randn([n, 3, 32, 32], g);
        var y = Enumerable.Range(0, n).Select(_ => g.NextInt(10)).ToArray();
        return (x, y);
    }

    private void Nb201Train()
    {
        using var model = new Nb201Network(new Generator(0));
        using var optimizer = new Sgd(model.Parameters(), new SgdOptions { LearningRate = 0.1, Momentum = 0.9, Nesterov = true, WeightDecay = 5e-4 });
        var (x, y) = CifarBatch(64, 2);
        using (x)
        {
            var last = 0f;
            var m = Time(name: CurrentName, () =>
            {
                using var scope = TensorScope.Begin();
                optimizer.ZeroGrad();
                var loss = Functional.CrossEntropy(model.Call(x), y);
                loss.Backward();
                optimizer.Step();
                last = loss.Item();
            }, Iters(3, 1), Iters(10, 3));
            CheckFinite("nb201-train-step", last);
            report.Throughput("nb201-train-step", "images/s", 64, m, ("batch", 64), ("arch", Nb201Network.Architecture), ("params", model.ParameterCount()));
        }
    }

    private void Nb201Infer(int batch)
    {
        using var model = new Nb201Network(new Generator(0));
        model.Eval();
        var (x, _) = CifarBatch(batch, 3);
        using (x)
        {
            void Forward()
            {
                using (Autograd.NoGrad())
                using (TensorScope.Begin())
                {
                    _ = model.Call(x);
                }
            }

            if (batch == 1)
            {
                var m = Time(name: CurrentName, Forward, Iters(20, 5), Iters(200, 30));
                report.Latency("nb201-infer-b1", m, ("batch", 1), ("arch", Nb201Network.Architecture));
            }
            else
            {
                var m = Time(name: CurrentName, Forward, Iters(2, 1), Iters(10, 3));
                report.Throughput($"nb201-infer-b{batch}", "images/s", batch, m, ("batch", batch), ("arch", Nb201Network.Architecture));
            }
        }
    }

    private void Nb201Supernet()
    {
        using var model = new Nb201Network(new Generator(0), search: true);
        var (x, y) = CifarBatch(64, 4);
        using (x)
        {
            var last = 0f;
            var m = Time(name: CurrentName, () =>
            {
                using var scope = TensorScope.Begin();
                model.ZeroGrad();
                var loss = Functional.CrossEntropy(model.Call(x), y);
                loss.Backward();
                last = loss.Item();
            }, Iters(2, 1), Iters(8, 3));
            CheckFinite("nb201-supernet-step", last);
            if (model.Alpha!.Grad is null)
            {
                throw new InvalidOperationException("nb201-supernet-step: alpha received no gradient.");
            }

            report.Throughput("nb201-supernet-step", "images/s", 64, m, ("batch", 64), ("ops", string.Join(",", Nb201Network.Ops)), ("params", model.ParameterCount()));
        }
    }

    private void FashionMnistTrain()
    {
        using var model = FashionMnistCnn.Create(new Generator(0));
        using var optimizer = new Sgd(model.Parameters(), new SgdOptions { LearningRate = 0.01, Momentum = 0.9 });
        var g = new Generator(5);
        using var x = Tensor.Randn([128, 1, 28, 28], g);
        var y = Enumerable.Range(0, 128).Select(_ => g.NextInt(10)).ToArray();
        var last = 0f;
        var m = Time(name: CurrentName, () =>
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Call(x), y);
            loss.Backward();
            optimizer.Step();
            last = loss.Item();
        }, Iters(3, 1), Iters(15, 3));
        CheckFinite("fmnist-cnn-train-step", last);
        report.Throughput("fmnist-cnn-train-step", "images/s", 128, m, ("batch", 128), ("params", model.ParameterCount()));
    }

    /// <summary>Times a workload's step with the peer's protocol, or, in profile mode, prints where one step's time goes.</summary>
    private Measurement Time(string name, Action call, int warmup, int reps, double minRepSeconds = 0)
    {
        if (profileSteps <= 0)
        {
            return Measurement.Run(call, warmup, reps, minRepSeconds);
        }

        for (var i = 0; i < Math.Max(warmup, 2); i++)
        {
            call();
        }

        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var pauses = GC.GetTotalPauseDuration();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        using (var profiler = TensorEngine.StartProfiling())
        {
            for (var i = 0; i < profileSteps; i++)
            {
                call();
            }

            var total = System.Diagnostics.Stopwatch.GetElapsedTime(start);
            Console.Error.WriteLine($"--- {name}: {profileSteps} calls, {total.TotalMilliseconds / profileSteps:F2} ms per call");
            Console.Error.WriteLine(
                $"GC per call: {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)profileSteps / (1 << 20):F2} MiB allocated, " +
                $"{(GC.GetTotalPauseDuration() - pauses).TotalMilliseconds / profileSteps:F2} ms paused; collections over all calls: " +
                $"gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}");
            Console.Error.WriteLine(profiler.Format(total));
        }

        return Measurement.Run(call, 0, 1);
    }

    private static void CheckFinite(string name, float loss)
    {
        if (!float.IsFinite(loss))
        {
            Console.Error.WriteLine($"WARNING: {name}: non-finite loss {loss}");
        }
    }
}
