using System.Security.Cryptography;
using System.Text;

namespace NasKit.SearchSpace;

/// <summary>
/// Represents one architecture of a search space: immutable data with a text form (<see cref="ToString"/>) that the space parses
/// back, and a canonical form that decides equality.
/// </summary>
/// <remarks>
/// <para>Two architectures are equal when they belong to the same space and have the same <see cref="CanonicalForm"/>. Where a space
/// defines isomorphism (for example NAS-Bench-201 cells that compute the same function), isomorphic architectures share a canonical
/// form and compare equal even though their text forms differ; use <see cref="ToString"/> for an exact, table-lookup key.</para>
/// <para><see cref="GetHashCode"/> is for in-memory collections only; <see cref="CanonicalHash"/> is stable across processes, machines
/// and cultures and is the key to persist (trial stores, evaluation caches).</para>
/// </remarks>
public abstract class Architecture : IEquatable<Architecture>
{
    private string? _canonicalHash;

    /// <summary>Gets the name of the search space the architecture belongs to (for example <c>nb201</c>).</summary>
    public abstract string SpaceName { get; }

    /// <summary>Gets the canonical form: architectures that the space considers the same share it.</summary>
    public abstract string CanonicalForm { get; }

    /// <summary>Compares two architectures by space and canonical form.</summary>
    /// <param name="left">The first architecture.</param>
    /// <param name="right">The second architecture.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(Architecture? left, Architecture? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two architectures by space and canonical form.</summary>
    /// <param name="left">The first architecture.</param>
    /// <param name="right">The second architecture.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(Architecture? left, Architecture? right) => !(left == right);

    /// <summary>Returns a stable hash of the space name and canonical form: lower-case hexadecimal SHA-256, the same on every machine.</summary>
    /// <returns>64 hexadecimal characters.</returns>
    public string CanonicalHash() =>
        _canonicalHash ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SpaceName + "\n" + CanonicalForm)));

    /// <inheritdoc/>
    public bool Equals(Architecture? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(SpaceName, other.SpaceName, StringComparison.Ordinal) && string.Equals(CanonicalForm, other.CanonicalForm, StringComparison.Ordinal)));

    /// <inheritdoc/>
    public sealed override bool Equals(object? obj) => obj is Architecture other && Equals(other);

    /// <inheritdoc/>
    public sealed override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(SpaceName), StringComparer.Ordinal.GetHashCode(CanonicalForm));

    /// <summary>Returns the architecture's text form, which the space's <see cref="ISearchSpace.Parse"/> reads back.</summary>
    /// <returns>The text form.</returns>
    public abstract override string ToString();
}
