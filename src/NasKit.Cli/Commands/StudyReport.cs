using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NasKit.Optimizers;

namespace NasKit.Cli.Commands;

/// <summary>Prints a study's outcome: the best trial or the Pareto front as a table, or one JSON line.</summary>
internal static class StudyReport
{
    public static void Write(TextWriter output, Study study, StudyResult result, long seed, bool json, TimeSpan elapsed, IReadOnlyList<string> reports)
    {
        var columns = study.Objectives.Select(o => o.Name).Concat(study.Constraints.Select(c => c.MetricName)).Concat(reports).Distinct(StringComparer.Ordinal).ToList();
        var trials = study.Trials;
        if (json)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("strategy", study.Strategy.Name);
                w.WriteNumber("seed", seed);
                w.WriteNumber("trials", trials.Count);
                w.WriteNumber("complete", trials.Count(t => t.State == TrialState.Complete));
                if (result.BestTrial is { } best)
                {
                    w.WritePropertyName("best");
                    WriteTrial(w, best, columns);
                }

                w.WriteStartArray("pareto");
                foreach (var t in result.ParetoFront)
                {
                    WriteTrial(w, t, columns);
                }

                w.WriteEndArray();
                w.WriteNumber("elapsed_seconds", Math.Round(elapsed.TotalSeconds, 3));
                w.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"study {study.Name}: {study.Strategy.Name}, seed {seed}, {trials.Count} trials ({trials.Count(t => t.State == TrialState.Complete)} complete, {trials.Count(t => t.State == TrialState.Failed)} failed, {trials.Count(t => t.State == TrialState.Pruned)} pruned)"));
        output.WriteLine(study.Objectives.Count == 1 ? "best:" : $"Pareto front ({result.ParetoFront.Count} trials):");
        var rows = study.Objectives.Count == 1 ? (result.BestTrial is { } b ? [b] : []) : result.ParetoFront;
        output.WriteLine(string.Join("  ", columns.Select(c => $"{c,14}")) + "  trial  architecture");
        foreach (var t in rows)
        {
            output.WriteLine(string.Join("  ", columns.Select(c => string.Create(CultureInfo.InvariantCulture, $"{t.Metrics.GetValueOrDefault(c),14:G6}"))) + string.Create(CultureInfo.InvariantCulture, $"  {t.Number,5}  {t.Architecture}"));
        }
    }

    private static void WriteTrial(Utf8JsonWriter w, FrozenTrial t, IReadOnlyList<string> columns)
    {
        w.WriteStartObject();
        w.WriteString("arch", t.Architecture);
        w.WriteNumber("trial", t.Number);
        foreach (var c in columns)
        {
            if (t.Metrics.TryGetValue(c, out var v))
            {
                w.WriteNumber(c, v);
            }
        }

        w.WriteEndObject();
    }
}
