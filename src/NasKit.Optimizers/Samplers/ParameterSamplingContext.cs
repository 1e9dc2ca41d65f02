using NasKit.Objectives;
using NasKit.Optimizers.Distributions;
using NasKit.Tensors;

namespace NasKit.Optimizers.Samplers;

/// <summary>What a parameter sampler may use: the parameter's name and distribution, the study's history, objectives and constraints,
/// and a random source.</summary>
public sealed class ParameterSamplingContext
{
    /// <summary>Initializes a new instance of the <see cref="ParameterSamplingContext"/> class.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="distribution">The parameter's distribution.</param>
    /// <param name="history">Every trial of the study so far (running ones included), by number.</param>
    /// <param name="objectives">The study's objectives (at least one).</param>
    /// <param name="generator">The random source.</param>
    /// <param name="constraints">The study's constraints; null for none.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="constraints"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is empty or white space, or there is no objective.</exception>
    public ParameterSamplingContext(string name, ParameterDistribution distribution, IReadOnlyList<FrozenTrial> history, IReadOnlyList<Objective> objectives,
        Generator generator, IReadOnlyList<Constraint>? constraints = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(generator);
        if (objectives.Count == 0)
        {
            throw new ArgumentException("A parameter sampler needs the study's objectives (at least one), but got none.", nameof(objectives));
        }

        Name = name;
        Distribution = distribution;
        History = history;
        Objectives = objectives;
        Generator = generator;
        Constraints = constraints ?? [];
    }

    /// <summary>Gets the parameter's name.</summary>
    public string Name { get; }

    /// <summary>Gets the parameter's distribution.</summary>
    public ParameterDistribution Distribution { get; }

    /// <summary>Gets every trial of the study so far, by number.</summary>
    public IReadOnlyList<FrozenTrial> History { get; }

    /// <summary>Gets the study's objectives.</summary>
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>Gets the study's constraints (empty for none).</summary>
    public IReadOnlyList<Constraint> Constraints { get; }

    /// <summary>Gets the random source.</summary>
    public Generator Generator { get; }
}
