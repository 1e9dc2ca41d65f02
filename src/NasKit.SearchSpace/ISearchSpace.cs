using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace;

/// <summary>
/// Represents a search space: the set of architectures a strategy may propose, with the operations strategies and predictors need
/// (sampling, enumeration, neighbours, crossover, text form, validation, encodings) and a builder that turns an architecture into a
/// trainable network.
/// </summary>
/// <remarks>
/// Every random choice takes a <see cref="Generator"/>: the same seed gives the same architectures. A space is immutable and
/// thread-safe for reading; the networks it builds are ordinary modules that the caller owns and disposes.
/// </remarks>
public interface ISearchSpace
{
    /// <summary>Gets the space's name (for example <c>nb201</c>, <c>darts</c>, <c>mobilenetv3</c>), equal to <see cref="Architecture.SpaceName"/>.</summary>
    string Name { get; }

    /// <summary>
    /// Gets the number of distinct settings of the space's decision variables — what <see cref="Enumerate"/> yields and what uniform
    /// sampling draws from — or null when the space is not finite.
    /// </summary>
    /// <remarks>
    /// Functional isomorphism does not reduce the size: NAS-Bench-201 has 15,625 cells although only 6,466 differ after its
    /// isomorphism rule. Where a space's decision is itself unordered (the two inputs of a DARTS node), each unordered choice counts
    /// once. Each space documents its count.
    /// </remarks>
    BigInteger? Size { get; }

    /// <summary>Gets the encodings that <see cref="Encode"/> supports.</summary>
    IReadOnlyList<ArchitectureEncoding> SupportedEncodings { get; }

    /// <summary>Draws an architecture uniformly at random over the space's decision variables.</summary>
    /// <param name="generator">The random source.</param>
    /// <returns>The architecture.</returns>
    Architecture Sample(Generator generator);

    /// <summary>Enumerates every architecture (every text form, isomorphic ones included) in a fixed order.</summary>
    /// <returns>The architectures, lazily.</returns>
    /// <exception cref="NotSupportedException">The space is not finite.</exception>
    IEnumerable<Architecture> Enumerate();

    /// <summary>Enumerates the architectures at distance 1: those that differ in exactly one decision variable.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The neighbours, in a fixed order, without the architecture itself.</returns>
    IEnumerable<Architecture> Neighbors(Architecture architecture);

    /// <summary>Returns a neighbour (distance 1) drawn uniformly at random.</summary>
    /// <param name="architecture">The architecture to mutate.</param>
    /// <param name="generator">The random source.</param>
    /// <returns>The mutated architecture.</returns>
    Architecture Mutate(Architecture architecture, Generator generator);

    /// <summary>Combines two parents: each decision variable is taken from one parent or the other with equal probability.</summary>
    /// <param name="first">The first parent.</param>
    /// <param name="second">The second parent.</param>
    /// <param name="generator">The random source.</param>
    /// <returns>The child, always valid in the space.</returns>
    Architecture Crossover(Architecture first, Architecture second, Generator generator);

    /// <summary>Parses the space's text form.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The architecture.</returns>
    /// <exception cref="ArchitectureFormatException">The text is not a valid text form; the message says where it broke.</exception>
    Architecture Parse(string text);

    /// <summary>Parses the space's text form without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="architecture">The architecture, when the text is valid.</param>
    /// <param name="error">Why the text is not valid, otherwise.</param>
    /// <returns>Whether the text is valid.</returns>
    bool TryParse(string text, [NotNullWhen(true)] out Architecture? architecture, [NotNullWhen(false)] out ArchitectureFormatException? error);

    /// <summary>Checks an architecture against every rule of the space and returns all problems (none when it is valid).</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The problems.</returns>
    IReadOnlyList<ArchitectureValidationError> Validate(Architecture architecture);

    /// <summary>Gets the length of an encoding's vectors.</summary>
    /// <param name="encoding">The encoding.</param>
    /// <returns>The length.</returns>
    /// <exception cref="NotSupportedException">The space does not support the encoding.</exception>
    int GetEncodingLength(ArchitectureEncoding encoding);

    /// <summary>Encodes an architecture as a fixed-length vector for performance predictors.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="encoding">The encoding.</param>
    /// <returns>A new vector of <see cref="GetEncodingLength"/> elements.</returns>
    /// <exception cref="NotSupportedException">The space does not support the encoding.</exception>
    float[] Encode(Architecture architecture, ArchitectureEncoding encoding);

    /// <summary>Gets the per-sample input shape (channels, height, width) of the network that <see cref="Build"/> returns for an architecture.</summary>
    /// <param name="architecture">The architecture (some spaces let it choose the input resolution).</param>
    /// <returns>The shape without the batch dimension.</returns>
    int[] GetInputShape(Architecture architecture);

    /// <summary>Builds the network of an architecture with freshly initialised weights.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="generator">The random source for weight initialisation; null uses a generator seeded with 0.</param>
    /// <returns>A network mapping a batch of <see cref="GetInputShape"/> inputs to class logits; the caller owns it.</returns>
    Module<Tensor, Tensor> Build(Architecture architecture, Generator? generator = null);
}
