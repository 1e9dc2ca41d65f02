using NasKit.Objectives;
using NasKit.Objectives.Pareto;
using NasKit.Optimizers.Distributions;
using NasKit.Optimizers.Internal;
using NasKit.Tensors;

namespace NasKit.Optimizers.Samplers;

/// <summary>
/// Chooses hyper-parameters with the tree-structured Parzen estimator (Bergstra et al., NeurIPS 2011) as Optuna's <c>TPESampler</c> does
/// with its 2.x–4.x defaults in independent mode (ALGORITHMS.md §14.5): each parameter is modelled on its own.
/// </summary>
/// <remarks>
/// <para><b>Startup.</b> Until <see cref="StartupTrials"/> trials are complete or pruned, values are drawn as by
/// <see cref="RandomParameterSampler"/>.</para>
/// <para><b>Split.</b> Of the n complete and pruned trials, γ(n) = min(⌈0.1·n⌉, 25) (⌈0.1·n⌉ with several objectives, as
/// <see cref="Strategies.Tpe"/>) form the good set, the rest the bad set, in Optuna's order: complete feasible trials first (by the
/// objective; with several objectives by non-domination rank, the last rank that does not fit cut by greedy hypervolume subset
/// selection); then, if places remain, pruned trials — deeper ones first, then by the value of the first objective at their last
/// reported step (a pruned trial that reported nothing comes last); then complete trials that violate a constraint, by total violation.
/// Running and failed trials are ignored (no constant liar). Only trials holding the parameter with the same distribution give
/// observations.</para>
/// <para><b>Estimators.</b> A Parzen estimator l from the good set and g from the bad set, with a prior of weight
/// <see cref="PriorWeight"/>, the magic clip, endpoints not considered and Optuna's <c>default_weights</c> over each set in trial-number
/// order; with several objectives the good set's weights are the complete feasible trials' hypervolume contributions (normalised by the
/// largest, floored at 1e-12), and its pruned or infeasible members weigh 1e-12. Real parameters use truncated normal kernels (in log space for log parameters, discretised on the grid for stepped ones);
/// integers are stepped, log integers are modelled in log space on [low − 1/2, high + 1/2] and rounded; categorical parameters use
/// Optuna's categorical kernels.</para>
/// <para><b>Choice.</b> <see cref="CandidateCount"/> values are drawn from l; the one maximising log l(x) − log g(x) is returned (the first
/// on ties).</para>
/// </remarks>
public sealed class TpeParameterSampler : IParameterSampler
{
    private readonly ParzenEstimatorParameters _parameters;

    /// <summary>Initializes a new instance of the <see cref="TpeParameterSampler"/> class.</summary>
    /// <param name="startupTrials">The number of complete or pruned trials before the estimators are used (at least 1).</param>
    /// <param name="candidateCount">The candidates drawn from l per suggestion (at least 1).</param>
    /// <param name="priorWeight">The weight of the prior kernel (positive and finite).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside the range given for it.</exception>
    public TpeParameterSampler(
        int startupTrials = Strategies.Tpe.DefaultStartupTrials, int candidateCount = Strategies.Tpe.DefaultCandidateCount, double priorWeight = Strategies.Tpe.DefaultPriorWeight)
    {
        _parameters = ParzenEstimatorParameters.ForTpe(startupTrials, candidateCount, priorWeight);
        StartupTrials = startupTrials;
        CandidateCount = candidateCount;
        PriorWeight = priorWeight;
    }

    /// <inheritdoc/>
    public string Name => "tpe";

    /// <summary>Gets the number of complete or pruned trials before the estimators are used.</summary>
    /// <value>The default value is 10 (Optuna's <c>n_startup_trials</c>).</value>
    public int StartupTrials { get; }

    /// <summary>Gets the number of candidates drawn from l per suggestion.</summary>
    /// <value>The default value is 24 (Optuna's <c>n_ei_candidates</c>).</value>
    public int CandidateCount { get; }

    /// <summary>Gets the weight of the prior kernel.</summary>
    /// <value>The default value is 1 (Optuna's <c>prior_weight</c>).</value>
    public double PriorWeight { get; }

    /// <inheritdoc/>
    public double Sample(ParameterSamplingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var distribution = context.Distribution;
        var finished = context.History.Where(t => t.State is TrialState.Complete or TrialState.Pruned).ToList();
        if (distribution.IsSingle || finished.Count < StartupTrials)
        {
            return RandomParameterSampler.Draw(distribution, context.Generator);
        }

        var gamma = context.Objectives.Count == 1 ? TpeWeighting.Gamma(finished.Count) : TpeWeighting.MultiObjectiveGamma(finished.Count);
        var (below, above, belowWeights) = Split(finished, gamma, context.Objectives, context.Constraints);
        var l = Build(context, below, belowWeights);
        var g = Build(context, above, null);
        var best = double.NaN;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < CandidateCount; c++)
        {
            var x = l.Sample(context.Generator);
            var score = l.LogPdf(x) - g.LogPdf(x);
            if (double.IsNaN(best) || score > bestScore)
            {
                (best, bestScore) = (x, score);
            }
        }

        return best;
    }

    /// <summary>Splits complete and pruned trials into the good and the bad set, each in trial-number order, as Optuna's TPE does.</summary>
    /// <param name="finished">The complete and pruned trials.</param>
    /// <param name="gamma">The size of the good set.</param>
    /// <param name="objectives">The study's objectives.</param>
    /// <param name="constraints">The study's constraints.</param>
    /// <returns>The good set, the bad set, and with several objectives the good set's weights (null otherwise).</returns>
    internal static (List<FrozenTrial> Below, List<FrozenTrial> Above, double[]? BelowWeights) Split(
        IReadOnlyList<FrozenTrial> finished, int gamma, IReadOnlyList<Objective> objectives, IReadOnlyList<Constraint> constraints)
    {
        var complete = new List<FrozenTrial>();
        var pruned = new List<FrozenTrial>();
        var infeasible = new List<FrozenTrial>();
        foreach (var t in finished.OrderBy(t => t.Number))
        {
            if (t.State == TrialState.Pruned)
            {
                pruned.Add(t);
            }
            else if (constraints.Count > 0 && Constraint.TotalViolation(constraints, t.Metrics) > 0)
            {
                infeasible.Add(t);
            }
            else
            {
                complete.Add(t);
            }
        }

        var below = new List<FrozenTrial>(gamma);
        var n = Math.Min(gamma, complete.Count);
        if (objectives.Count == 1)
        {
            // OrderBy is stable: equal values keep trial-number order, as Python's sorted.
            below.AddRange(complete.OrderBy(t => objectives[0].ToMinimization(objectives[0].GetValue(t.Metrics))).Take(n));
        }
        else if (n > 0)
        {
            below.AddRange(MultiObjectiveBelow(complete, n, objectives));
        }

        var remaining = gamma - below.Count;
        below.AddRange(pruned.OrderBy(t => PrunedScore(t, objectives[0]).NegativeStep).ThenBy(t => PrunedScore(t, objectives[0]).Value).Take(Math.Max(0, remaining)));
        remaining = gamma - below.Count;
        below.AddRange(infeasible.OrderBy(t => Constraint.TotalViolation(constraints, t.Metrics)).Take(Math.Max(0, remaining)));

        var inBelow = below.Select(t => t.Number).ToHashSet();
        below.Sort((a, b) => a.Number.CompareTo(b.Number));
        var above = finished.Where(t => !inBelow.Contains(t.Number)).OrderBy(t => t.Number).ToList();
        double[]? weights = null;
        if (objectives.Count > 1)
        {
            var losses = below.Select(t => t.State == TrialState.Complete ? Losses(t, objectives) : new double[objectives.Count]).ToList();
            var feasible = below.Select(t => t.State == TrialState.Complete && (constraints.Count == 0 || Constraint.TotalViolation(constraints, t.Metrics) <= 0)).ToList();
            weights = HypervolumeSelection.ContributionWeights(losses, feasible);
        }

        return (below, above, weights);
    }

    private static IEnumerable<FrozenTrial> MultiObjectiveBelow(List<FrozenTrial> complete, int n, IReadOnlyList<Objective> objectives)
    {
        var points = complete.Select(t => objectives.Select(o => o.GetValue(t.Metrics)).ToArray()).ToArray();
        var fronts = NonDominatedSorting.Sort(points, [.. objectives.Select(o => o.Direction)]);
        var chosen = new List<int>(n);
        foreach (var front in fronts)
        {
            if (chosen.Count + front.Length <= n)
            {
                chosen.AddRange(front);
                continue;
            }

            var ordered = front.Order().ToArray();
            var subset = HypervolumeSelection.GreedySubset([.. ordered.Select(i => Losses(complete[i], objectives))], n - chosen.Count);
            chosen.AddRange(subset.Select(k => ordered[k]));
            break;
        }

        return chosen.Select(i => complete[i]);
    }

    private static double[] Losses(FrozenTrial trial, IReadOnlyList<Objective> objectives) =>
        [.. objectives.Select(o => o.ToMinimization(o.GetValue(trial.Metrics)))];

    /// <summary>Optuna's score of a pruned trial: (−last step, loss at it); NaN sorts last within its step; nothing reported sorts after all.</summary>
    private static (double NegativeStep, double Value) PrunedScore(FrozenTrial trial, Objective objective)
    {
        var last = trial.Intermediate.Where(v => v.Values.ContainsKey(objective.Name)).MaxBy(v => v.Step);
        if (last is null)
        {
            return (1, 0);
        }

        var value = last.Values[objective.Name];
        return (-last.Step, double.IsNaN(value) ? double.PositiveInfinity : objective.ToMinimization(value));
    }

    private Estimator Build(ParameterSamplingContext context, List<FrozenTrial> trials, double[]? setWeights)
    {
        var observations = new List<double>();
        var weights = new List<double>();
        for (var i = 0; i < trials.Count; i++)
        {
            var t = trials[i];
            if (t.Distributions.TryGetValue(context.Name, out var d) && d.Equals(context.Distribution) && t.Parameters.TryGetValue(context.Name, out var v))
            {
                observations.Add(v);
                if (setWeights is not null)
                {
                    weights.Add(setWeights[i]);
                }
            }
        }

        double[] w = setWeights is null ? TpeWeighting.Weights(observations.Count) : [.. weights];
        return new Estimator(context.Distribution, [.. observations], w, _parameters);
    }

    /// <summary>One Parzen estimator of a parameter, in the parameter's internal representation.</summary>
    private sealed class Estimator
    {
        private readonly CategoricalParzenEstimator? _categorical;
        private readonly NumericParzenEstimator? _numeric;
        private readonly ParameterDistribution _distribution;

        public Estimator(ParameterDistribution distribution, double[] observations, double[] weights, ParzenEstimatorParameters parameters)
        {
            _distribution = distribution;
            switch (distribution)
            {
                case CategoricalDistribution c:
                    _categorical = new CategoricalParzenEstimator([.. observations.Select(o => (int)o)], weights, c.Choices.Count, parameters);
                    break;
                case IntDistribution { Log: true } i:
                    _numeric = new NumericParzenEstimator(observations, weights, i.Low - 0.5, i.High + 0.5, null, log: true, parameters);
                    break;
                case IntDistribution i:
                    _numeric = new NumericParzenEstimator(observations, weights, i.Low, i.High, i.Step, log: false, parameters);
                    break;
                case FloatDistribution f:
                    _numeric = new NumericParzenEstimator(observations, weights, f.Low, f.High, f.Log ? null : f.Step, f.Log, parameters);
                    break;
                default:
                    throw new NotSupportedException($"The distribution type {distribution.GetType().Name} is not supported.");
            }
        }

        public double Sample(Generator generator)
        {
            if (_categorical is not null)
            {
                return _categorical.Sample(generator);
            }

            var x = _numeric!.Sample(generator);
            return _distribution switch
            {
                IntDistribution i => Math.Clamp(Math.Round(x), i.Low, i.High),
                FloatDistribution { Step: { } step } f => RandomParameterSampler.OnGrid(x, f.Low, f.High, step),
                FloatDistribution f => Math.Clamp(x, f.Low, f.High),
                _ => x,
            };
        }

        public double LogPdf(double x) => _categorical is not null ? _categorical.LogPdf((int)x) : _numeric!.LogPdf(x);
    }
}
