using System.Globalization;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu;

/// <summary>
/// The CPU backend's fast paths against the general paths they shortcut and against scalar or double-precision references
/// written here: pooling (CpuBackendTests.Pooling.cs), batch normalisation (CpuBackendTests.Normalization.cs), and the
/// broadcasting, copy, fill and reduction dispatch (CpuBackendTests.Elementwise.cs).
/// </summary>
/// <remarks>The fixture changes the process-wide thread count, so it must not run beside other fixtures.</remarks>
[NonParallelizable]
public partial class CpuBackendTests
{
    private const double UnitRoundoff = 1.0 / (1 << 24);

    private int _savedThreads;

    [SetUp]
    public void SaveThreadCount() => _savedThreads = TensorEngine.ThreadCount;

    [TearDown]
    public void RestoreThreadCount() => TensorEngine.ThreadCount = _savedThreads;

    /// <summary>Returns whether two floats are the same value: both NaN, or bit-identical (so −0 and +0 differ).</summary>
    private static bool Identical(float a, float b) =>
        (float.IsNaN(a) && float.IsNaN(b)) || BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);

    /// <summary>Lists (up to five) positions where <paramref name="actual"/> and <paramref name="expected"/> are not identical.</summary>
    private static List<string> Differences(float[] actual, float[] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        var bad = new List<string>();
        for (var i = 0; i < actual.Length && bad.Count < 5; i++)
        {
            if (!Identical(actual[i], expected[i]))
            {
                bad.Add(string.Create(CultureInfo.InvariantCulture, $"[{i}] = {actual[i]:R}, expected {expected[i]:R}"));
            }
        }

        return bad;
    }

    /// <summary>Lists (up to five) positions where |actual − expected| &gt; tolerance[i] or where the two differ in finiteness or NaN-ness.</summary>
    private static List<string> Deviations(float[] actual, double[] expected, double[] tolerance)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        var bad = new List<string>();
        for (var i = 0; i < actual.Length && bad.Count < 5; i++)
        {
            var e = expected[i];
            var ok = double.IsNaN(e) ? float.IsNaN(actual[i])
                : double.IsInfinity(e) ? actual[i] == e
                : float.IsFinite(actual[i]) && Math.Abs(actual[i] - e) <= tolerance[i];
            if (!ok)
            {
                bad.Add(string.Create(CultureInfo.InvariantCulture, $"[{i}] = {actual[i]:R}, expected {e:R} ± {tolerance[i]:G3}"));
            }
        }

        return bad;
    }
}
