using NasKit.Optimizers.Internal;
using NasKit.SearchSpace;

namespace NasKit.Optimizers.Strategies;

/// <summary>
/// The tree-structured Parzen estimator (Bergstra et al., NeurIPS 2011) with the defaults of Optuna's <c>TPESampler</c> (2.x–4.x,
/// independent mode; ALGORITHMS.md §14.5), applied to structured architecture spaces as an acquisition over a candidate pool; with
/// several objectives, the good set is chosen by non-domination rank as in MOTPE.
/// </summary>
/// <remarks>
/// <para><b>Variables.</b> Each element of the space's <see cref="ArchitectureEncoding.Integer"/> encoding is one categorical variable.
/// Its choices are the values that element takes among the completed architectures, the candidates and the neighbours
/// (<see cref="ISearchSpace.Neighbors"/>) of one architecture of the good set (every single-variable change of it), which for spaces
/// without conditional variables is the whole domain (all five operations of each NAS-Bench-201 edge). The choice count matters only
/// through the prior kernel.</para>
/// <para><b>Split.</b> Until <see cref="StartupTrials"/> trials have completed, proposals are uniform samples. Then the completed trials are
/// ordered best first — by the single objective (feasible first, infeasible by violation) or, with several objectives, by non-domination
/// rank with constraint-domination, the last rank cut by crowding distance — and the first γ(n) form the good set, the rest the bad set:
/// γ(n) = min(⌈0.1·n⌉, 25) for one objective, ⌈0.1·n⌉ for several. Each variable gets a categorical Parzen estimator l from the good set and
/// g from the bad set, with Optuna's kernels (an observation's kernel puts prior_weight/K on every choice plus 1 on its own, normalised;
/// K = observations + 1), a uniform prior kernel of weight <see cref="PriorWeight"/>, and Optuna's <c>default_weights</c> over each set in
/// trial-number order.</para>
/// <para><b>How NasKit differs from Optuna.</b> Optuna draws <c>n_ei_candidates</c> values of each parameter from l and keeps the one
/// maximising l(x)/g(x), parameter by parameter. A structured space has no way back from a vector of values to an architecture (the
/// search-space contract has no decoder, and not every vector is a valid architecture), so NasKit draws whole architectures that follow
/// l's mixture instead: a mixture component is picked by l's weights; the prior component gives a uniform sample of the space; an
/// observation's component gives that good architecture, crossed over (<see cref="ISearchSpace.Crossover"/>) with a second good one when a
/// second pick also lands on an observation, then mutated once (<see cref="ISearchSpace.Mutate"/>). <see cref="CandidateCount"/> distinct
/// candidates not yet in the study are drawn, and the one maximising Σᵢ log lᵢ(xᵢ) − log gᵢ(xᵢ) over the variables is proposed (the first
/// on ties). The candidates are therefore always valid architectures, and the acquisition is exactly TPE's independent-mode ratio; what
/// differs is the proposal distribution of the candidates. Optuna's multi-objective sampler breaks ties in the last rank by hypervolume
/// contribution and weights the good set by it; NasKit uses crowding distance and the default weights.</para>
/// </remarks>
public sealed class Tpe : ISearchStrategy
{
    /// <summary>The default number of uniform samples before the estimators are used: 10 (Optuna's <c>n_startup_trials</c>).</summary>
    public const int DefaultStartupTrials = 10;

    /// <summary>The default number of candidates per proposal: 24 (Optuna's <c>n_ei_candidates</c>).</summary>
    public const int DefaultCandidateCount = 24;

    /// <summary>The default weight of the prior kernel: 1 (Optuna's <c>prior_weight</c>).</summary>
    public const double DefaultPriorWeight = 1.0;

    private readonly ParzenEstimatorParameters _parameters;

    /// <summary>Initializes a new instance of the <see cref="Tpe"/> class.</summary>
    /// <param name="startupTrials">The number of completed trials before the estimators are used (at least 1).</param>
    /// <param name="candidateCount">The candidates scored per proposal (at least 1).</param>
    /// <param name="priorWeight">The weight of the uniform prior kernel (positive).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside the range given for it.</exception>
    public Tpe(int startupTrials = DefaultStartupTrials, int candidateCount = DefaultCandidateCount, double priorWeight = DefaultPriorWeight)
    {
        _parameters = ParzenEstimatorParameters.ForTpe(startupTrials, candidateCount, priorWeight);
        StartupTrials = startupTrials;
        CandidateCount = candidateCount;
        PriorWeight = priorWeight;
    }

    /// <inheritdoc/>
    public string Name => "tpe";

    /// <summary>Gets the number of completed trials before the estimators are used.</summary>
    /// <value>The default value is <see cref="DefaultStartupTrials"/> (10).</value>
    public int StartupTrials { get; }

    /// <summary>Gets the number of candidates scored per proposal.</summary>
    /// <value>The default value is <see cref="DefaultCandidateCount"/> (24).</value>
    public int CandidateCount { get; }

    /// <summary>Gets the weight of the uniform prior kernel.</summary>
    /// <value>The default value is <see cref="DefaultPriorWeight"/> (1).</value>
    public double PriorWeight { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The context has neither objectives nor a fitness to rank trials by.</exception>
    public Architecture Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var completed = context.Completed.ToList();
        if (completed.Count < StartupTrials)
        {
            return context.Space.Sample(context.Generator);
        }

        var (good, bad) = Split(ObjectiveTable.From(context, completed, Name));
        var goodArchitectures = good.Select(i => context.ArchitectureOf(completed[i])).ToList();
        var candidates = Candidates(context, goodArchitectures);
        if (candidates.Count == 0)
        {
            return context.Space.Sample(context.Generator);
        }

        var encode = (Architecture a) => context.Space.Encode(a, ArchitectureEncoding.Integer);
        var goodCodes = goodArchitectures.Select(encode).ToList();
        var badCodes = bad.Select(i => encode(context.ArchitectureOf(completed[i]))).ToList();
        var candidateCodes = candidates.Select(encode).ToList();
        var neighbourCodes = context.Space.Neighbors(goodArchitectures[0]).Select(encode);
        var domains = Domains(goodCodes.Concat(badCodes).Concat(candidateCodes).Concat(neighbourCodes), goodCodes[0].Length);

        var scores = new double[candidates.Count];
        for (var v = 0; v < domains.Length; v++)
        {
            var l = Estimator(goodCodes, v, domains[v]);
            var g = Estimator(badCodes, v, domains[v]);
            for (var c = 0; c < candidates.Count; c++)
            {
                var choice = domains[v][candidateCodes[c][v]];
                scores[c] += l.LogPdf(choice) - g.LogPdf(choice);
            }
        }

        var best = 0;
        for (var c = 1; c < candidates.Count; c++)
        {
            if (scores[c] > scores[best])
            {
                best = c;
            }
        }

        return candidates[best];
    }

    /// <summary>Splits completed trials into the good set (best γ(n)) and the bad set, each in trial-number order.</summary>
    /// <param name="table">The completed trials' objectives.</param>
    /// <returns>Indices into the table.</returns>
    internal static (int[] Good, int[] Bad) Split(ObjectiveTable table)
    {
        var n = table.Trials.Count;
        int[] good;
        if (table.ObjectiveCount == 1)
        {
            good = [.. table.SingleObjectiveOrder().Take(TpeWeighting.Gamma(n))];
        }
        else
        {
            good = [.. RankAndCrowding.Select(table, TpeWeighting.MultiObjectiveGamma(n)).Select(s => s.Index)];
        }

        var inGood = good.ToHashSet();
        var byNumber = (int i) => table.Trials[i].Number;
        return ([.. good.OrderBy(byNumber)], [.. Enumerable.Range(0, n).Where(i => !inGood.Contains(i)).OrderBy(byNumber)]);
    }

    private static Dictionary<float, int>[] Domains(IEnumerable<float[]> codes, int length)
    {
        var values = new SortedSet<float>[length];
        for (var v = 0; v < length; v++)
        {
            values[v] = [];
        }

        foreach (var code in codes)
        {
            for (var v = 0; v < length; v++)
            {
                values[v].Add(code[v]);
            }
        }

        return [.. values.Select(set => set.Select((value, index) => (value, index)).ToDictionary(p => p.value, p => p.index))];
    }

    private CategoricalParzenEstimator Estimator(List<float[]> codes, int variable, Dictionary<float, int> domain)
    {
        var observations = codes.Select(code => domain[code[variable]]).ToArray();
        return new CategoricalParzenEstimator(observations, TpeWeighting.Weights(observations.Length), domain.Count, _parameters);
    }

    private List<Architecture> Candidates(StrategyContext context, List<Architecture> good)
    {
        var mixture = ParzenGuard.MixtureWeights(TpeWeighting.Weights(good.Count), _parameters);
        var candidates = new List<Architecture>(CandidateCount);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        var generator = context.Generator;
        for (var attempt = 0; attempt < CandidateCount * 8 && candidates.Count < CandidateCount; attempt++)
        {
            var k = ParzenGuard.PickIndex(mixture, generator);
            Architecture candidate;
            if (k == good.Count)
            {
                candidate = context.Space.Sample(generator);
            }
            else
            {
                candidate = good[k];
                var other = ParzenGuard.PickIndex(mixture, generator);
                if (other != k && other < good.Count)
                {
                    candidate = context.Space.Crossover(candidate, good[other], generator);
                }

                candidate = context.Space.Mutate(candidate, generator);
            }

            if (!context.HasSeen(candidate) && hashes.Add(candidate.CanonicalHash()))
            {
                candidates.Add(candidate);
            }
        }

        return candidates;
    }
}
