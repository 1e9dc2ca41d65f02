using System.Diagnostics.CodeAnalysis;

namespace NasKit.Data.Internal;

/// <summary>Validation shared by the dataset implementations, with messages that state the rule and the actual values.</summary>
internal static class DataGuard
{
    /// <summary>Formats a shape as "[a, b, c]" for messages.</summary>
    public static string FormatShape(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Validates a sample shape (rank >= 1, every dimension > 0) and returns its element count.</summary>
    public static int SampleSizeOf(ReadOnlySpan<int> sampleShape, string paramName)
    {
        if (sampleShape.Length == 0)
        {
            throw new ArgumentException("A sample shape needs at least one dimension (use [F] for F plain features), but got [].", paramName);
        }

        long size = 1;
        foreach (var d in sampleShape)
        {
            if (d <= 0)
            {
                throw new ArgumentException($"Every dimension of a sample shape must be > 0, but got {FormatShape(sampleShape.ToArray())}.", paramName);
            }

            size *= d;
            if (size > Array.MaxLength)
            {
                throw new ArgumentException($"The sample shape {FormatShape(sampleShape.ToArray())} holds more than {Array.MaxLength} elements.", paramName);
            }
        }

        return (int)size;
    }

    /// <summary>Checks the destination lengths of a <see cref="IDataset.CopySamples"/> call.</summary>
    public static void CheckBatchDestinations(int batchCount, int sampleSize, Span<float> features, Span<int> labels)
    {
        var needed = (long)batchCount * sampleSize;
        if (features.Length != needed)
        {
            throw new ArgumentException(
                $"'features.Length == indices.Length * SampleSize' must hold, but got features.Length={features.Length}, indices.Length={batchCount}, SampleSize={sampleSize}.",
                nameof(features));
        }

        if (labels.Length != batchCount)
        {
            throw new ArgumentException(
                $"'labels.Length == indices.Length' must hold, but got labels.Length={labels.Length}, indices.Length={batchCount}.", nameof(labels));
        }
    }

    /// <summary>Checks that a sample index lies in [0, count).</summary>
    public static void CheckIndex(int index, int count, string paramName)
    {
        if ((uint)index >= (uint)count)
        {
            ThrowIndexOutOfRange(index, count, paramName);
        }
    }

    [DoesNotReturn]
    private static void ThrowIndexOutOfRange(int index, int count, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, index, $"A sample index must lie in [0, {count}), but got {index}.");
}
