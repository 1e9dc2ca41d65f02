using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace;

/// <summary>
/// Base class of search spaces: implements the untyped <see cref="ISearchSpace"/> surface on top of the typed one, checks arguments,
/// and provides the template logic every space shares (mutation from neighbours, <c>TryParse</c> from <c>Parse</c>, validation before
/// building).
/// </summary>
/// <typeparam name="TArchitecture">The architecture type.</typeparam>
public abstract class SearchSpace<TArchitecture> : ISearchSpace<TArchitecture>
    where TArchitecture : Architecture
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract BigInteger? Size { get; }

    /// <inheritdoc/>
    public abstract IReadOnlyList<ArchitectureEncoding> SupportedEncodings { get; }

    /// <inheritdoc/>
    public TArchitecture Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return SampleCore(generator);
    }

    /// <inheritdoc/>
    public virtual IEnumerable<TArchitecture> Enumerate() =>
        throw new NotSupportedException($"The {Name} search space is not finite, so it cannot be enumerated.");

    /// <inheritdoc/>
    public IEnumerable<TArchitecture> Neighbors(TArchitecture architecture)
    {
        EnsureValid(architecture, nameof(architecture));
        return NeighborsCore(architecture);
    }

    /// <inheritdoc/>
    public TArchitecture Mutate(TArchitecture architecture, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        EnsureValid(architecture, nameof(architecture));
        return MutateCore(architecture, generator);
    }

    /// <inheritdoc/>
    public TArchitecture Crossover(TArchitecture first, TArchitecture second, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        EnsureValid(first, nameof(first));
        EnsureValid(second, nameof(second));
        return CrossoverCore(first, second, generator);
    }

    /// <inheritdoc/>
    public TArchitecture Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseCore(text);
    }

    /// <inheritdoc/>
    public bool TryParse(string text, [NotNullWhen(true)] out TArchitecture? architecture, [NotNullWhen(false)] out ArchitectureFormatException? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            architecture = ParseCore(text);
            error = null;
            return true;
        }
        catch (ArchitectureFormatException e)
        {
            architecture = null;
            error = e;
            return false;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<ArchitectureValidationError> Validate(TArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return ValidateCore(architecture);
    }

    /// <inheritdoc/>
    public int GetEncodingLength(ArchitectureEncoding encoding)
    {
        EnsureSupported(encoding);
        return GetEncodingLengthCore(encoding);
    }

    /// <inheritdoc/>
    public float[] Encode(TArchitecture architecture, ArchitectureEncoding encoding)
    {
        EnsureSupported(encoding);
        EnsureValid(architecture, nameof(architecture));
        return EncodeCore(architecture, encoding);
    }

    /// <inheritdoc/>
    public int[] GetInputShape(TArchitecture architecture)
    {
        EnsureValid(architecture, nameof(architecture));
        return GetInputShapeCore(architecture);
    }

    /// <inheritdoc/>
    public Module<Tensor, Tensor> Build(TArchitecture architecture, Generator? generator = null)
    {
        EnsureValid(architecture, nameof(architecture));
        return BuildCore(architecture, generator ?? new Generator(0));
    }

    /// <summary>Throws a <see cref="SearchSpaceValidationException"/> listing every problem when the architecture is not valid.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="parameterName">The parameter that held it, for the null check.</param>
    /// <exception cref="SearchSpaceValidationException">The architecture breaks one or more rules of the space.</exception>
    public void EnsureValid(TArchitecture architecture, string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(architecture, parameterName);
        var errors = ValidateCore(architecture);
        if (errors.Count > 0)
        {
            throw new SearchSpaceValidationException($"The {Name} architecture '{architecture}'", errors);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Draws an architecture (the generator is not null).</summary>
    /// <param name="generator">The random source.</param>
    /// <returns>The architecture.</returns>
    protected abstract TArchitecture SampleCore(Generator generator);

    /// <summary>Enumerates the neighbours of a valid architecture.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The neighbours.</returns>
    protected abstract IEnumerable<TArchitecture> NeighborsCore(TArchitecture architecture);

    /// <summary>Returns a uniformly drawn neighbour of a valid architecture; the default draws from <see cref="NeighborsCore"/>.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="generator">The random source.</param>
    /// <returns>The neighbour.</returns>
    protected virtual TArchitecture MutateCore(TArchitecture architecture, Generator generator)
    {
        var neighbors = NeighborsCore(architecture).ToArray();
        if (neighbors.Length == 0)
        {
            throw new InvalidOperationException($"The {Name} architecture '{architecture}' has no neighbours to mutate to.");
        }

        return neighbors[generator.NextInt(neighbors.Length)];
    }

    /// <summary>Combines two valid parents.</summary>
    /// <param name="first">The first parent.</param>
    /// <param name="second">The second parent.</param>
    /// <param name="generator">The random source.</param>
    /// <returns>The child.</returns>
    protected abstract TArchitecture CrossoverCore(TArchitecture first, TArchitecture second, Generator generator);

    /// <summary>Parses the text form (not null), throwing <see cref="ArchitectureFormatException"/> with the position of the problem.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The architecture.</returns>
    protected abstract TArchitecture ParseCore(string text);

    /// <summary>Returns every problem of an architecture (not null).</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The problems.</returns>
    protected abstract IReadOnlyList<ArchitectureValidationError> ValidateCore(TArchitecture architecture);

    /// <summary>Gets the length of a supported encoding.</summary>
    /// <param name="encoding">The encoding.</param>
    /// <returns>The length.</returns>
    protected abstract int GetEncodingLengthCore(ArchitectureEncoding encoding);

    /// <summary>Encodes a valid architecture with a supported encoding.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="encoding">The encoding.</param>
    /// <returns>The vector.</returns>
    protected abstract float[] EncodeCore(TArchitecture architecture, ArchitectureEncoding encoding);

    /// <summary>Gets the per-sample input shape of a valid architecture's network.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The shape.</returns>
    protected abstract int[] GetInputShapeCore(TArchitecture architecture);

    /// <summary>Builds the network of a valid architecture.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="generator">The random source for weight initialisation.</param>
    /// <returns>The network.</returns>
    protected abstract Module<Tensor, Tensor> BuildCore(TArchitecture architecture, Generator generator);

    private void EnsureSupported(ArchitectureEncoding encoding)
    {
        if (!SupportedEncodings.Contains(encoding))
        {
            throw new NotSupportedException($"The {Name} search space does not support the {encoding} encoding; it supports {string.Join(", ", SupportedEncodings)}.");
        }
    }

    private TArchitecture Cast(Architecture architecture, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(architecture, parameterName);
        return architecture as TArchitecture ?? throw new IncompatibleArchitectureException(Name, architecture, parameterName);
    }

    Architecture ISearchSpace.Sample(Generator generator) => Sample(generator);

    IEnumerable<Architecture> ISearchSpace.Enumerate() => Enumerate();

    IEnumerable<Architecture> ISearchSpace.Neighbors(Architecture architecture) => Neighbors(Cast(architecture, nameof(architecture)));

    Architecture ISearchSpace.Mutate(Architecture architecture, Generator generator) => Mutate(Cast(architecture, nameof(architecture)), generator);

    Architecture ISearchSpace.Crossover(Architecture first, Architecture second, Generator generator) =>
        Crossover(Cast(first, nameof(first)), Cast(second, nameof(second)), generator);

    Architecture ISearchSpace.Parse(string text) => Parse(text);

    bool ISearchSpace.TryParse(string text, [NotNullWhen(true)] out Architecture? architecture, [NotNullWhen(false)] out ArchitectureFormatException? error)
    {
        var ok = TryParse(text, out TArchitecture? typed, out error);
        architecture = typed;
        return ok;
    }

    IReadOnlyList<ArchitectureValidationError> ISearchSpace.Validate(Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture is TArchitecture typed
            ? Validate(typed)
            : [new ArchitectureValidationError(string.Empty, $"the {Name} search space cannot use a {architecture.SpaceName} architecture ({architecture.GetType().Name}).")];
    }

    float[] ISearchSpace.Encode(Architecture architecture, ArchitectureEncoding encoding) => Encode(Cast(architecture, nameof(architecture)), encoding);

    int[] ISearchSpace.GetInputShape(Architecture architecture) => GetInputShape(Cast(architecture, nameof(architecture)));

    Module<Tensor, Tensor> ISearchSpace.Build(Architecture architecture, Generator? generator) => Build(Cast(architecture, nameof(architecture)), generator);
}
