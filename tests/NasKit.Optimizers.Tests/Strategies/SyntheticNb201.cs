using NasKit.Objectives;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace;
using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.Strategies;

/// <summary>Synthetic NAS-Bench-201 objectives and histories for the strategy tests (deterministic functions of the cell).</summary>
internal static class SyntheticNb201
{
    public static readonly ISearchSpace Space = new Nb201SearchSpace();

    /// <summary>The number of nor_conv_3x3 edges (0..6) plus noise in [0, 0.5) from the canonical hash, so ties are broken arbitrarily but repeatably.</summary>
    public static double Score(Architecture architecture)
    {
        var cell = (Nb201Cell)architecture;
        var conv3 = cell.Operations.Count(o => o == Nb201Operation.NorConv3x3);
        var noise = Convert.ToUInt32(architecture.CanonicalHash()[..8], 16) / (double)uint.MaxValue;
        return conv3 + (0.5 * noise);
    }

    /// <summary>Runs a single-objective study (maximise <see cref="Score"/>) and returns the best score after each trial.</summary>
    public static async Task<double> BestAfter(ISearchStrategy strategy, int trials, long seed)
    {
        var study = new Study("synthetic", Space, strategy, [Objective.Maximize("score")], options: new StudyOptions { Seed = seed });
        await study.OptimizeAsync((t, _) => ValueTask.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double> { ["score"] = Score(t.Architecture) }), trials);
        return study.Trials.Max(t => t.GetMetric("score"));
    }

    /// <summary>Builds a completed trial with the given metrics.</summary>
    public static FrozenTrial Trial(int number, Architecture architecture, Dictionary<string, double> metrics) => new()
    {
        Number = number,
        State = TrialState.Complete,
        Architecture = architecture.ToString(),
        CanonicalHash = architecture.CanonicalHash(),
        Metrics = metrics,
        StartedAt = DateTimeOffset.UnixEpoch.AddSeconds(number),
        FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(number + 1),
    };

    /// <summary>Distinct uniformly sampled cells.</summary>
    public static List<Architecture> DistinctCells(int count, long seed)
    {
        var g = new Generator(seed);
        var cells = new List<Architecture>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (cells.Count < count)
        {
            var a = Space.Sample(g);
            if (seen.Add(a.CanonicalHash()))
            {
                cells.Add(a);
            }
        }

        return cells;
    }
}
