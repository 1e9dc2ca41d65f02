using System.Globalization;

namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>Element-wise comparisons of float arrays with a relative and absolute tolerance and readable failures.</summary>
public static class TensorAssert
{
    /// <summary>Asserts that two arrays have the same length and every pair satisfies |a − e| ≤ atol + rtol·|e| (NaN matches NaN, equal infinities match).</summary>
    public static void Close(float[] actual, float[] expected, double rtol = 1e-5, double atol = 1e-6, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        Assert.That(actual, Has.Length.EqualTo(expected.Length), context);
        for (var i = 0; i < actual.Length; i++)
        {
            if (!IsClose(actual[i], expected[i], rtol, atol))
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"{context}{(context is null ? string.Empty : ": ")}element {i} is {actual[i]:R} but {expected[i]:R} was expected (rtol {rtol}, atol {atol})."));
            }
        }
    }

    /// <summary>Asserts that a tensor has the expected shape and values.</summary>
    public static void Close(Tensor actual, int[] expectedShape, float[] expected, double rtol = 1e-5, double atol = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(actual);
        Assert.That(actual.Shape, Is.EqualTo(expectedShape), "shape");
        Close(actual.ToArray(), expected, rtol, atol);
    }

    /// <summary>Returns whether two values are close; NaN is close to NaN and infinities to equal infinities.</summary>
    public static bool IsClose(double actual, double expected, double rtol, double atol)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return actual == expected;
        }

        return Math.Abs(actual - expected) <= atol + (rtol * Math.Abs(expected));
    }
}
