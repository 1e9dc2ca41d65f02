using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>
/// SPOS's evolutionary search over subnets (ALGORITHMS.md §14.2): a random population; every generation keeps the best
/// <c>parents</c> of everything scored so far, adds mutation children (each edge re-sampled with probability p) and uniform-crossover
/// children of two parents, and refills with random cells; cells already scored are never scored again.
/// </summary>
internal sealed class SposEvolution(OneShotSearchOptions options, Generator generator)
{
    private const int MaxTriesPerChild = 20;
    private readonly Dictionary<int, double> _scores = [];

    /// <summary>Gets the number of cells scored.</summary>
    public int Evaluations => _scores.Count;

    public Nb201Cell Run(Func<Nb201Cell, double> score, CancellationToken cancellationToken)
    {
        var candidates = new List<Nb201Cell>();
        Refill(candidates, options.EvolutionPopulation);
        for (var generation = 0; generation < options.EvolutionGenerations; generation++)
        {
            foreach (var cell in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _scores[cell.Index] = score(cell);
            }

            var parents = _scores.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(options.EvolutionParents).Select(kv => Nb201Cell.FromIndex(kv.Key)).ToArray();
            candidates = [];
            var fresh = new HashSet<int>();
            AddChildren(candidates, fresh, options.EvolutionMutations, () => Mutate(parents[generator.NextInt(parents.Length)]));
            AddChildren(candidates, fresh, options.EvolutionCrossovers, () => Crossover(parents[generator.NextInt(parents.Length)], parents[generator.NextInt(parents.Length)]));
            Refill(candidates, options.EvolutionPopulation, fresh);
        }

        return Nb201Cell.FromIndex(_scores.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key);
    }

    private void AddChildren(List<Nb201Cell> into, HashSet<int> fresh, int count, Func<Nb201Cell> make)
    {
        var added = 0;
        for (var tries = 0; added < count && tries < count * MaxTriesPerChild; tries++)
        {
            var child = make();
            if (!_scores.ContainsKey(child.Index) && fresh.Add(child.Index))
            {
                into.Add(child);
                added++;
            }
        }
    }

    private void Refill(List<Nb201Cell> into, int size, HashSet<int>? fresh = null)
    {
        fresh ??= [];
        for (var tries = 0; into.Count < size && tries < size * MaxTriesPerChild; tries++)
        {
            var cell = Nb201Cell.FromIndex(generator.NextInt(Nb201Cell.TotalCount));
            if (!_scores.ContainsKey(cell.Index) && fresh.Add(cell.Index))
            {
                into.Add(cell);
            }
        }
    }

    private Nb201Cell Mutate(Nb201Cell parent)
    {
        Span<Nb201Operation> ops = stackalloc Nb201Operation[Nb201Cell.EdgeCount];
        for (var e = 0; e < ops.Length; e++)
        {
            ops[e] = generator.NextDouble() < options.MutationProbability ? (Nb201Operation)generator.NextInt(Nb201Operations.Count) : parent.Operations[e];
        }

        return new Nb201Cell(ops);
    }

    private Nb201Cell Crossover(Nb201Cell a, Nb201Cell b)
    {
        Span<Nb201Operation> ops = stackalloc Nb201Operation[Nb201Cell.EdgeCount];
        for (var e = 0; e < ops.Length; e++)
        {
            ops[e] = generator.NextDouble() < 0.5 ? a.Operations[e] : b.Operations[e];
        }

        return new Nb201Cell(ops);
    }
}
