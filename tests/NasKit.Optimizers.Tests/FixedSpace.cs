using NasKit.SearchSpace.Custom;
using NasKit.Tensors.NN;

namespace NasKit.Optimizers.Tests;

/// <summary>A search space holding one architecture, for hyper-parameter-only studies (run with <c>AllowDuplicates = true</c>).</summary>
internal static class FixedSpace
{
    public static CustomSearchSpace Instance { get; } = new("fixed", [1], ctx =>
    {
        ctx.Choose(Choice.Categorical("model", "fixed"));
        return new Identity();
    });

    public static StudyOptions Options(long seed) => new() { Seed = seed, AllowDuplicates = true };
}
