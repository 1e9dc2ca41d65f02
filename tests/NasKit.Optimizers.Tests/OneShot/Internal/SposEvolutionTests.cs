using NasKit.Optimizers.OneShot;
using NasKit.Optimizers.OneShot.Internal;
using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.OneShot.Internal;

public sealed class SposEvolutionTests
{
    // Score: how many edges match a hidden target cell. Random sampling finds at most ~3 of 6 in 100 draws; evolution must climb to 6.
    private static readonly Nb201Cell s_target = new(Nb201Operation.NorConv3x3, Nb201Operation.SkipConnect, Nb201Operation.NorConv1x1, Nb201Operation.AvgPool3x3, Nb201Operation.NorConv3x3, Nb201Operation.None);

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Run_EdgeMatchScore_FindsTheTargetWithinTheDefaultBudget(long seed)
    {
        var options = new OneShotSearchOptions(OneShotMethod.Spos);
        var evolution = new SposEvolution(options, new Generator(seed));
        var calls = new HashSet<int>();

        var best = evolution.Run(cell => { Assert.That(calls.Add(cell.Index), Is.True, "a cell is scored once"); return Matches(cell); }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(best, Is.EqualTo(s_target));
            Assert.That(evolution.Evaluations, Is.LessThanOrEqualTo(options.EvolutionPopulation * options.EvolutionGenerations));
        });
    }

    private static double Matches(Nb201Cell cell) => Enumerable.Range(0, Nb201Cell.EdgeCount).Count(e => cell.Operations[e] == s_target.Operations[e]);
}
