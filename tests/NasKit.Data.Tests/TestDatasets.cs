namespace NasKit.Data.Tests;

/// <summary>Small datasets whose features encode their sample index, so a test can tell which sample landed where.</summary>
internal static class TestDatasets
{
    /// <summary>
    /// Creates N samples of shape [channels, 2, 2]; element e of sample i is <c>i * 1000 + e</c>, and sample i has label
    /// <c>labels[i]</c> (or <c>i % numClasses</c> when <paramref name="labels"/> is null).
    /// </summary>
    public static InMemoryDataset Indexed(int count, int numClasses = 3, int channels = 1, int[]? labels = null)
    {
        const int Plane = 4;
        var size = channels * Plane;
        var features = new float[count * size];
        for (var i = 0; i < count; i++)
        {
            for (var e = 0; e < size; e++)
            {
                features[(i * size) + e] = (i * 1000) + e;
            }
        }

        labels ??= Enumerable.Range(0, count).Select(i => i % numClasses).ToArray();
        return new InMemoryDataset(features, labels, [channels, 2, 2], numClasses);
    }

    /// <summary>Gets the sample index encoded in the first feature of a sample.</summary>
    public static int IndexOf(float firstFeature) => (int)(firstFeature / 1000);
}
