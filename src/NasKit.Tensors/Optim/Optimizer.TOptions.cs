using NasKit.Tensors.NN;

namespace NasKit.Tensors.Optim;

/// <summary>Represents an optimizer whose parameter groups carry <typeparamref name="TOptions"/>.</summary>
/// <typeparam name="TOptions">The options type.</typeparam>
public abstract class Optimizer<TOptions> : Optimizer
    where TOptions : OptimizerOptions
{
    private readonly List<ParameterGroup<TOptions>> _groups = [];

    /// <summary>Initializes a new instance of the <see cref="Optimizer{TOptions}"/> class with one group.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="options">The hyper-parameters.</param>
    protected Optimizer(IEnumerable<Parameter> parameters, TOptions options)
        : this([new ParameterGroup<TOptions>(parameters, options)])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="Optimizer{TOptions}"/> class with several groups.</summary>
    /// <param name="groups">The groups; a parameter may belong to only one.</param>
    /// <exception cref="ArgumentException">There are no groups or a parameter is in two groups.</exception>
    protected Optimizer(IEnumerable<ParameterGroup<TOptions>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        foreach (var g in groups)
        {
            AddParameterGroup(g);
        }

        if (_groups.Count == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter group.", nameof(groups));
        }
    }

    /// <summary>Gets the parameter groups with their typed options.</summary>
    public IReadOnlyList<ParameterGroup<TOptions>> ParameterGroups => _groups;

    /// <inheritdoc />
    public override IReadOnlyList<IParameterGroup> Groups => _groups;

    /// <summary>Adds a parameter group (for example, newly unfrozen layers).</summary>
    /// <param name="group">The group.</param>
    /// <exception cref="ArgumentException">A parameter of the group is already optimised.</exception>
    public void AddParameterGroup(ParameterGroup<TOptions> group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var existing = new HashSet<Parameter>(_groups.SelectMany(g => g.Parameters), ReferenceEqualityComparer.Instance);
        if (group.Parameters.Any(existing.Contains))
        {
            throw new ArgumentException("A parameter appears in more than one parameter group.", nameof(group));
        }

        _groups.Add(group);
    }
}
