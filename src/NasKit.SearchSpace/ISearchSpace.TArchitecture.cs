using System.Diagnostics.CodeAnalysis;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace;

/// <summary>Represents a search space whose architectures have the type <typeparamref name="TArchitecture"/>.</summary>
/// <typeparam name="TArchitecture">The architecture type.</typeparam>
public interface ISearchSpace<TArchitecture> : ISearchSpace
    where TArchitecture : Architecture
{
    /// <summary>Draws an architecture uniformly at random over the space's decision variables.</summary>
    /// <param name="generator">The random source.</param>
    /// <returns>The architecture.</returns>
    new TArchitecture Sample(Generator generator);

    /// <summary>Enumerates every architecture in a fixed order.</summary>
    /// <returns>The architectures, lazily.</returns>
    new IEnumerable<TArchitecture> Enumerate();

    /// <summary>Enumerates the architectures at distance 1.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The neighbours.</returns>
    IEnumerable<TArchitecture> Neighbors(TArchitecture architecture);

    /// <summary>Returns a neighbour drawn uniformly at random.</summary>
    /// <param name="architecture">The architecture to mutate.</param>
    /// <param name="generator">The random source.</param>
    /// <returns>The mutated architecture.</returns>
    TArchitecture Mutate(TArchitecture architecture, Generator generator);

    /// <summary>Combines two parents variable by variable.</summary>
    /// <param name="first">The first parent.</param>
    /// <param name="second">The second parent.</param>
    /// <param name="generator">The random source.</param>
    /// <returns>The child.</returns>
    TArchitecture Crossover(TArchitecture first, TArchitecture second, Generator generator);

    /// <summary>Parses the space's text form.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The architecture.</returns>
    new TArchitecture Parse(string text);

    /// <summary>Parses the space's text form without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="architecture">The architecture, when the text is valid.</param>
    /// <param name="error">Why the text is not valid, otherwise.</param>
    /// <returns>Whether the text is valid.</returns>
    bool TryParse(string text, [NotNullWhen(true)] out TArchitecture? architecture, [NotNullWhen(false)] out ArchitectureFormatException? error);

    /// <summary>Checks an architecture against every rule of the space.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The problems (none when valid).</returns>
    IReadOnlyList<ArchitectureValidationError> Validate(TArchitecture architecture);

    /// <summary>Encodes an architecture.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="encoding">The encoding.</param>
    /// <returns>The vector.</returns>
    float[] Encode(TArchitecture architecture, ArchitectureEncoding encoding);

    /// <summary>Gets the per-sample input shape of the architecture's network.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The shape without the batch dimension.</returns>
    int[] GetInputShape(TArchitecture architecture);

    /// <summary>Builds the architecture's network.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="generator">The random source for weight initialisation; null uses a generator seeded with 0.</param>
    /// <returns>The network.</returns>
    Module<Tensor, Tensor> Build(TArchitecture architecture, Generator? generator = null);
}
