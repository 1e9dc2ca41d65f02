using System.Diagnostics.CodeAnalysis;
using NasKit.SearchSpace.Custom.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Custom;

/// <summary>
/// Represents one labelled decision of a <see cref="CustomSearchSpace"/>: a set of values (finite, or a continuous range) from which
/// an architecture takes exactly one value under the choice's <see cref="Label"/>.
/// </summary>
/// <remarks>
/// <para>Create choices with the factory methods (<see cref="Categorical{T}"/>, <see cref="Int"/>, <see cref="Float"/>,
/// <see cref="Layer"/>, <see cref="Inputs"/>) inside a space's definition and pass them to <see cref="ChoiceContext"/>. A label
/// names one decision of the whole space: it must be declared with the same values wherever the definition reaches it.</para>
/// <para>The values of a finite choice are numbered 0, 1, …; the first value is the choice's default, which a conditional label takes
/// when a neighbour or a crossover switches it on.</para>
/// </remarks>
public abstract class Choice
{
    /// <summary>The largest number of values a finite choice may have, so that every index is exact in a float32 encoding (2^24).</summary>
    public const int MaxCount = 1 << 24;

    private protected Choice(string label)
    {
        TextRules.EnsureLabel(label, nameof(label));
        Label = label;
    }

    /// <summary>Gets the label that names the decision in architectures' text forms.</summary>
    public string Label { get; }

    /// <summary>Gets the number of values, or null when the choice is a continuous range.</summary>
    public abstract int? Count { get; }

    /// <summary>Gets a value indicating whether the choice has finitely many values.</summary>
    public bool IsFinite => Count is not null;

    /// <summary>Gets a description of the values, used in error messages (for example <c>one of relu, gelu</c>).</summary>
    internal abstract string Description { get; }

    /// <summary>Gets the definition without the label; two declarations of one label must have equal signatures.</summary>
    internal abstract string Signature { get; }

    /// <summary>Gets the code of the default value: index 0, or the lower bound of a continuous range.</summary>
    internal virtual double DefaultCode => 0;

    /// <summary>Creates a choice among explicit values.</summary>
    /// <typeparam name="T">The value type (strings, numbers, enums, booleans, …).</typeparam>
    /// <param name="label">The label.</param>
    /// <param name="values">The values, at least one; their culture-invariant texts must be distinct and safe.</param>
    /// <returns>The choice.</returns>
    /// <exception cref="ArgumentException">The label or a value's text breaks the character rules, or two values share a text.</exception>
    public static CategoricalChoice<T> Categorical<T>(string label, params T[] values)
        where T : notnull => new(label, values);

    /// <summary>Creates a choice of integers <c>low, low + step, …, high</c>.</summary>
    /// <param name="label">The label.</param>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">The largest value; greater than <paramref name="low"/>.</param>
    /// <param name="step">The spacing; positive, dividing <c>high - low</c>.</param>
    /// <param name="log">Whether sampling is log-uniform (needs <c>low &gt; 0</c> and <c>step = 1</c>).</param>
    /// <returns>The choice.</returns>
    /// <exception cref="ArgumentException">The bounds, step or log flag break a rule; the message gives the values.</exception>
    public static IntChoice Int(string label, int low, int high, int step = 1, bool log = false) => new(label, low, high, step, log);

    /// <summary>Creates a choice of real numbers in <c>[low, high]</c>: continuous, or the grid <c>low, low + step, …, high</c>.</summary>
    /// <param name="label">The label.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound; greater than <paramref name="low"/>.</param>
    /// <param name="step">The grid spacing, or null for a continuous range.</param>
    /// <param name="log">Whether sampling is log-uniform (needs <c>low &gt; 0</c> and no step).</param>
    /// <returns>The choice.</returns>
    /// <exception cref="ArgumentException">The bounds, step or log flag break a rule; the message gives the values.</exception>
    public static FloatChoice Float(string label, double low, double high, double? step = null, bool log = false) => new(label, low, high, step, log);

    /// <summary>Creates a choice among named candidate layers; <see cref="ChoiceContext.Choose(LayerChoice)"/> builds the chosen one.</summary>
    /// <param name="label">The label.</param>
    /// <param name="candidates">The candidates: a name (the value's text) and a factory.</param>
    /// <returns>The choice.</returns>
    /// <exception cref="ArgumentException">A name breaks the character rules or appears twice, or there is no candidate.</exception>
    public static LayerChoice Layer(string label, params (string Name, Func<Module<Tensor, Tensor>> Create)[] candidates) => new(label, candidates);

    /// <summary>Creates a choice of <paramref name="choose"/> of <paramref name="candidates"/> inputs, as a sorted set of indices.</summary>
    /// <param name="label">The label.</param>
    /// <param name="candidates">The number of candidate inputs.</param>
    /// <param name="choose">How many are chosen; between 1 and <paramref name="candidates"/>.</param>
    /// <returns>The choice.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The counts break a rule; the message gives the values.</exception>
    public static InputChoice Inputs(string label, int candidates, int choose) => new(label, candidates, choose);

    /// <inheritdoc/>
    public override string ToString() => Label + ": " + Description;

    /// <summary>Draws a value's code.</summary>
    /// <param name="generator">The random source.</param>
    /// <returns>The code.</returns>
    internal virtual double SampleCode(Generator generator) => generator.NextInt(Count!.Value);

    /// <summary>Gets whether a code denotes a value of the choice.</summary>
    /// <param name="code">The code.</param>
    /// <returns>Whether it is valid.</returns>
    internal virtual bool IsValidCode(double code) => code >= 0 && code < Count!.Value && code == Math.Floor(code);

    /// <summary>Formats the value of a code.</summary>
    /// <param name="code">A valid code.</param>
    /// <returns>The culture-invariant text.</returns>
    internal abstract string Format(double code);

    /// <summary>Returns the value of a code, boxed.</summary>
    /// <param name="code">A valid code.</param>
    /// <returns>The value.</returns>
    internal abstract object Box(double code);

    /// <summary>Parses a value's text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="code">The value's code.</param>
    /// <param name="reason">Why the text is not a value, otherwise.</param>
    /// <returns>Whether the text is a value.</returns>
    internal virtual bool TryParse(string text, out double code, [NotNullWhen(false)] out string? reason)
    {
        var count = Count!.Value;
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(Format(i), text, StringComparison.Ordinal))
            {
                code = i;
                reason = null;
                return true;
            }
        }

        code = 0;
        reason = $"'{Label}' must be {Description}, but got '{text}'";
        return false;
    }

    /// <summary>Returns the codes of the values one step away: every other value of a finite choice.</summary>
    /// <param name="code">The current code.</param>
    /// <param name="floatStep">The fraction of a continuous range to move by.</param>
    /// <returns>The codes, ascending, without <paramref name="code"/>.</returns>
    internal virtual IEnumerable<double> NeighborCodes(double code, double floatStep)
    {
        var count = Count!.Value;
        for (var i = 0; i < count; i++)
        {
            if (i != code)
            {
                yield return i;
            }
        }
    }

    /// <summary>Returns a few codes that cover the choice, used to look for conditional labels.</summary>
    /// <returns>The codes.</returns>
    internal virtual IEnumerable<double> RepresentativeCodes()
    {
        var count = Count!.Value;
        return count <= 32 ? Enumerable.Range(0, count).Select(i => (double)i) : [0, count / 2, count - 1];
    }
}
