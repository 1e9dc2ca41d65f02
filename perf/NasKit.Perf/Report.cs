using System.Text.Json;
using System.Text.Json.Nodes;

namespace NasKit.Perf;

/// <summary>Writes results as one JSON object per line, in the peer's format (<c>{"workload":…,"unit":…,"value":…,…}</c>).</summary>
internal sealed class Report(int threads, bool quick)
{
    public void Throughput(string workload, string unit, double workPerCall, Measurement m, params (string Key, object Value)[] config) =>
        Emit(workload, unit, workPerCall / m.Median, config, ("best", workPerCall / m.Best), ("worst", workPerCall / m.Worst), m);

    public void Latency(string workload, Measurement m, params (string Key, object Value)[] config) =>
        Emit(workload, "ms", m.Median * 1e3, config, ("best", m.Best * 1e3), ("worst", m.Worst * 1e3), m);

    private void Emit(string workload, string unit, double value, (string Key, object Value)[] config, (string, double) best, (string, double) worst, Measurement m)
    {
        var o = new JsonObject
        {
            ["workload"] = workload,
            ["unit"] = unit,
            ["value"] = Math.Round(value, 4),
        };
        foreach (var (key, v) in config)
        {
            o[key] = v switch
            {
                double d => JsonValue.Create(Math.Round(d, 4)),
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                bool b => JsonValue.Create(b),
                _ => JsonValue.Create(v.ToString()),
            };
        }

        o[best.Item1] = Math.Round(best.Item2, 4);
        o[worst.Item1] = Math.Round(worst.Item2, 4);
        o["warmup"] = m.Warmup;
        o["reps"] = m.Reps;
        o["inner"] = m.Inner;
        o["peer"] = "naskit";
        o["naskit"] = typeof(NasKit.Tensors.Tensor).Assembly.GetName().Version?.ToString();
        o["threads"] = threads;
        o["quick"] = quick;
        o["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
        Console.Out.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        Console.Out.Flush();
    }
}
