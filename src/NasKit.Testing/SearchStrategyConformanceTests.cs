using NasKit.Objectives;
using NasKit.Optimizers;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace;
using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;
using NUnit.Framework;

namespace NasKit.Testing;

/// <summary>
/// The contract every <see cref="ISearchStrategy"/> must keep, as an abstract NUnit fixture: derive a <c>[TestFixture]</c> from it and
/// return the strategy from <see cref="CreateStrategy"/>. The checks run on the NAS-Bench-201 space with a synthetic objective.
/// </summary>
/// <remarks>Checks: proposals always lie inside the space; the same seed and history give the same proposal; a study driven by the
/// strategy never evaluates one architecture twice; the strategy improves on nothing it was not told (it reads only the history).</remarks>
public abstract class SearchStrategyConformanceTests
{
    /// <summary>Gets the number of trials of the study-driven checks.</summary>
    /// <value>The default value is 60.</value>
    protected virtual int TrialCount => 60;

    /// <summary>Creates the strategy under test.</summary>
    /// <returns>The strategy.</returns>
    protected abstract ISearchStrategy CreateStrategy();

    /// <summary>Creates the space the checks search (by default NAS-Bench-201).</summary>
    /// <returns>The space.</returns>
    protected virtual ISearchSpace CreateSpace() => new Nb201SearchSpace();

    /// <summary>Checks that proposals made against many histories are valid architectures of the space.</summary>
    [Test]
    public void Propose_VariousHistories_AlwaysInsideSpace()
    {
        var space = CreateSpace();
        var strategy = CreateStrategy();
        foreach (var size in new[] { 0, 1, 5, 20, 40 })
        {
            var history = SyntheticHistory(space, size, seed: size);
            for (var i = 0; i < 5; i++)
            {
                var proposal = strategy.Propose(new StrategyContext(space, history, new Generator(100 + i), Score));
                Assert.That(space.Validate(proposal), Is.Empty, $"history of {size}: {proposal}");
                Assert.That(space.Parse(proposal.ToString()), Is.EqualTo(proposal));
            }
        }
    }

    /// <summary>Checks that equal seeds and histories give equal proposals.</summary>
    [Test]
    public void Propose_SameSeedSameHistory_SameProposal()
    {
        var space = CreateSpace();
        foreach (var size in new[] { 0, 3, 30 })
        {
            var history = SyntheticHistory(space, size, seed: 7);
            var a = CreateStrategy().Propose(new StrategyContext(space, history, new Generator(42), Score));
            var b = CreateStrategy().Propose(new StrategyContext(space, history, new Generator(42), Score));
            Assert.That(b.ToString(), Is.EqualTo(a.ToString()), $"history of {size}");
        }
    }

    /// <summary>Checks that a study driven by the strategy spends no budget twice on one architecture.</summary>
    [Test]
    public async Task OptimizeAsync_Study_NoDuplicateArchitectures()
    {
        var study = new Study("conformance", CreateSpace(), CreateStrategy(), [Objective.Maximize("score")], options: new StudyOptions { Seed = 3 });
        await study.OptimizeAsync((t, _) => ValueTask.FromResult<IReadOnlyDictionary<string, double>>(Metrics(t.Architecture)), TrialCount);
        var trials = study.Trials;
        Assert.That(trials, Has.Count.EqualTo(TrialCount));
        Assert.That(trials.Select(t => t.CanonicalHash).Distinct().Count(), Is.EqualTo(TrialCount));
    }

    /// <summary>Checks that two studies with the same seed ask for the same architectures in the same order.</summary>
    [Test]
    public async Task OptimizeAsync_SameSeed_SameSequence()
    {
        async Task<string[]> Run()
        {
            var study = new Study("conformance", CreateSpace(), CreateStrategy(), [Objective.Maximize("score")], options: new StudyOptions { Seed = 5 });
            await study.OptimizeAsync((t, _) => ValueTask.FromResult<IReadOnlyDictionary<string, double>>(Metrics(t.Architecture)), 25);
            return [.. study.Trials.Select(t => t.Architecture)];
        }

        Assert.That(await Run(), Is.EqualTo(await Run()));
    }

    /// <summary>A deterministic synthetic objective: a hash of the canonical form mapped to [0, 1).</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The metrics.</returns>
    protected static Dictionary<string, double> Metrics(Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var hash = architecture.CanonicalHash();
        return new Dictionary<string, double> { ["score"] = Convert.ToUInt32(hash[..8], 16) / (double)uint.MaxValue };
    }

    private static double Score(FrozenTrial trial) => trial.Metrics["score"];

    private static List<FrozenTrial> SyntheticHistory(ISearchSpace space, int count, long seed)
    {
        var g = new Generator(seed);
        var trials = new List<FrozenTrial>();
        var now = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < count; i++)
        {
            var a = space.Sample(g);
            var running = i == count - 1 && count > 2;
            trials.Add(new FrozenTrial
            {
                Number = i,
                State = running ? TrialState.Running : TrialState.Complete,
                Architecture = a.ToString(),
                CanonicalHash = a.CanonicalHash(),
                Metrics = running ? new Dictionary<string, double>() : Metrics(a),
                StartedAt = now.AddSeconds(i),
                FinishedAt = running ? null : now.AddSeconds(i + 1),
            });
        }

        return trials;
    }
}
