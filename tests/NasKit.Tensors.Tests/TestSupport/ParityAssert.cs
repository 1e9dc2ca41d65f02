using System.Globalization;

namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>Compares NasKit results with PyTorch fixture tensors under float32 tolerances.</summary>
public static class ParityAssert
{
    /// <summary>The default absolute tolerance, in units of the tensor's scale max|expected| (1 for an all-zero tensor).</summary>
    public const double DefaultAbsolute = 1e-5;

    /// <summary>The default tolerance relative to each expected element.</summary>
    public const double DefaultRelative = 1e-5;

    /// <summary>
    /// Asserts that <paramref name="actual"/> has PyTorch's shape and that every element satisfies
    /// |a − e| ≤ atol·s + rtol·|e|, where s = max|e| (1 if that is 0) when <paramref name="scaleAbsolute"/> and 1 otherwise.
    /// Scaling the absolute part suits reductions (convolutions, pooling sums, norms, matrix products), whose float32
    /// rounding is proportional to the size of the summed terms rather than of the possibly cancelled result; element-wise
    /// ops pass false so that small outputs next to large ones keep a tight bound.
    /// On failure it reports the worst element and how many elements are out of tolerance.
    /// </summary>
    public static void Close(Tensor? actual, FixtureTensor expected, string what, double atol = DefaultAbsolute, double rtol = DefaultRelative, bool scaleAbsolute = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.That(actual, Is.Not.Null, $"{what}: NasKit produced no tensor (PyTorch did)");
        Assert.That(actual!.Shape, Is.EqualTo(expected.Shape), $"{what}: shape");
        Close(actual.ToArray(), expected.Values, what, atol, rtol, scaleAbsolute);
    }

    /// <summary>
    /// Computes the gradients of L = Σ upstream·<paramref name="output"/> with respect to the <paramref name="leaves"/> named
    /// in the case's recorded gradients and compares each with PyTorch's.
    /// </summary>
    public static void Gradients(FixtureCase fixture, Tensor output, IReadOnlyDictionary<string, Tensor> leaves, double atol = DefaultAbsolute, double rtol = DefaultRelative, bool scaleAbsolute = true)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(leaves);
        Assert.That(fixture.Upstream, Is.Not.Null, $"{fixture.Name}: the fixture records no upstream gradient");
        Assert.That(fixture.Grads.Keys, Is.SubsetOf(leaves.Keys), $"{fixture.Name}: every PyTorch gradient needs a NasKit leaf");
        var names = fixture.Grads.Keys.ToArray();
        var inputs = names.Select(n => leaves[n]).ToArray();
        using var upstream = fixture.Upstream!.ToTensor();
        var grads = Autograd.Grad([output], inputs, [upstream]);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < names.Length; i++)
            {
                Close(grads[i], fixture.Grads[names[i]], $"{fixture.Name}: d(Σ w·out)/d{names[i]}", atol, rtol, scaleAbsolute);
            }
        });
    }

    /// <summary>Asserts element-wise closeness of two flat arrays; see <see cref="Close(Tensor?, FixtureTensor, string, double, double, bool)"/>.</summary>
    public static void Close(float[] actual, float[] expected, string what, double atol = DefaultAbsolute, double rtol = DefaultRelative, bool scaleAbsolute = true)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        Assert.That(actual, Has.Length.EqualTo(expected.Length), $"{what}: element count");
        if (expected.Length == 0)
        {
            return;
        }

        var maxAbs = expected.Max(v => Math.Abs((double)v));
        var scale = scaleAbsolute && maxAbs > 0 ? maxAbs : 1.0;
        var worst = 0;
        var worstRatio = double.NegativeInfinity;
        var failures = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var tol = (atol * scale) + (rtol * Math.Abs((double)expected[i]));
            var err = Math.Abs((double)actual[i] - expected[i]);
            var ratio = double.IsNaN(err) ? double.PositiveInfinity : err / tol;
            if (ratio > 1)
            {
                failures++;
            }

            if (ratio > worstRatio)
            {
                worstRatio = ratio;
                worst = i;
            }
        }

        var worstTol = (atol * scale) + (rtol * Math.Abs((double)expected[worst]));
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{what}: element {worst} (flat index) differs from PyTorch; {failures} of {expected.Length} elements exceed atol·{scale:G4} + rtol·|e| (atol={atol:G}, rtol={rtol:G})");
        Assert.That(actual[worst], Is.EqualTo(expected[worst]).Within(worstTol), message);
    }
}
