using NasKit.Tensors.NN;

namespace NasKit.Tensors.Optim;

/// <summary>Represents parameters optimised with their own copy of the hyper-parameters (PyTorch's param groups).</summary>
/// <typeparam name="TOptions">The optimizer's options type.</typeparam>
public sealed class ParameterGroup<TOptions> : IParameterGroup
    where TOptions : OptimizerOptions
{
    /// <summary>Initializes a new instance of the <see cref="ParameterGroup{TOptions}"/> class; the options are copied.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="options">The hyper-parameters for this group.</param>
    /// <exception cref="ArgumentException">The options are invalid or a parameter appears twice.</exception>
    public ParameterGroup(IEnumerable<Parameter> parameters, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Parameters = [.. parameters];
        if (Parameters.Distinct(ReferenceEqualityComparer.Instance).Count() != Parameters.Count)
        {
            throw new ArgumentException("A parameter group lists the same parameter more than once.", nameof(parameters));
        }

        Options = (TOptions)options.Copy();
        InitialLearningRate = options.LearningRate;
    }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Gets this group's own copy of the hyper-parameters.</summary>
    public TOptions Options { get; }

    /// <inheritdoc />
    public double LearningRate
    {
        get => Options.LearningRate;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Options.LearningRate = value;
        }
    }

    /// <inheritdoc />
    public double InitialLearningRate { get; }
}
