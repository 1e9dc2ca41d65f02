using NasKit.Objectives;
using NasKit.Optimizers.Strategies;

namespace NasKit.Optimizers.Internal;

/// <summary>
/// The objective vectors, directions and constraint violations of a list of completed trials, read from a strategy context: the
/// study's objectives when it has any, otherwise its scalar fitness as one maximised objective.
/// </summary>
internal sealed class ObjectiveTable
{
    private ObjectiveTable(IReadOnlyList<FrozenTrial> trials, double[][] points, ObjectiveDirection[] directions, double[]? violations)
    {
        Trials = trials;
        Points = points;
        Directions = directions;
        Violations = violations;
    }

    /// <summary>Gets the trials, in the order given.</summary>
    public IReadOnlyList<FrozenTrial> Trials { get; }

    /// <summary>Gets one objective vector per trial, in the objectives' own units (not oriented).</summary>
    public IReadOnlyList<double[]> Points { get; }

    /// <summary>Gets the direction of each objective.</summary>
    public IReadOnlyList<ObjectiveDirection> Directions { get; }

    /// <summary>Gets the total constraint violation of each trial (0 when feasible), or null when the study has no constraints.</summary>
    public IReadOnlyList<double>? Violations { get; }

    /// <summary>Gets the number of objectives.</summary>
    public int ObjectiveCount => Directions.Count;

    /// <summary>Reads the objective table of completed trials.</summary>
    /// <param name="context">The strategy context.</param>
    /// <param name="trials">Completed trials of its history.</param>
    /// <param name="strategy">The strategy's name, for the message.</param>
    /// <returns>The table.</returns>
    /// <exception cref="InvalidOperationException">The context has neither objectives nor a fitness.</exception>
    public static ObjectiveTable From(StrategyContext context, IReadOnlyList<FrozenTrial> trials, string strategy)
    {
        if (context.Objectives.Count > 0)
        {
            var objectives = context.Objectives;
            var points = trials.Select(t => objectives.Select(o => o.GetValue(t.Metrics)).ToArray()).ToArray();
            var violations = context.Constraints.Count == 0
                ? null
                : trials.Select(t => Constraint.TotalViolation(context.Constraints, t.Metrics)).ToArray();
            return new ObjectiveTable(trials, points, [.. objectives.Select(o => o.Direction)], violations);
        }

        var fitness = context.Fitness
            ?? throw new InvalidOperationException($"The {strategy} strategy needs the study's objectives or a fitness to rank trials; the context has neither.");
        return new ObjectiveTable(trials, [.. trials.Select(t => new[] { fitness(t) })], [ObjectiveDirection.Maximize], null);
    }

    /// <summary>Returns the value of objective <paramref name="m"/> of trial <paramref name="i"/> as a quantity to minimise.</summary>
    /// <param name="i">The trial's index in the table.</param>
    /// <param name="m">The objective.</param>
    /// <returns>The value, negated for a maximised objective.</returns>
    public double Minimized(int i, int m) => Directions[m] == ObjectiveDirection.Minimize ? Points[i][m] : -Points[i][m];

    /// <summary>Gets the total violation of trial <paramref name="i"/> (0 without constraints).</summary>
    /// <param name="i">The trial's index in the table.</param>
    /// <returns>The violation, at least 0.</returns>
    public double Violation(int i) => Violations is null ? 0 : Math.Max(0, Violations[i]);

    /// <summary>Orders the trials best first by the first objective: feasible before infeasible, infeasible by violation, then by number.</summary>
    /// <returns>Indices into the table, best first.</returns>
    public int[] SingleObjectiveOrder() =>
    [
        .. Enumerable.Range(0, Trials.Count)
            .OrderBy(i => Violation(i) > 0)
            .ThenBy(Violation)
            .ThenBy(i => Minimized(i, 0))
            .ThenBy(i => Trials[i].Number),
    ];
}
