using NasKit.Data;
using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.OneShot;

/// <summary>A tiny learnable image set (class c lights up quadrant c) and a matching tiny NB201 skeleton, for fast one-shot tests.</summary>
internal static class OneShotTestData
{
    public const int Size = 8;
    public const int Classes = 4;

    public static Nb201NetworkOptions Network { get; } = Nb201NetworkOptions.Cifar10 with { Channels = 4, CellsPerStage = 1, InputChannels = 1, InputSize = Size, Classes = Classes };

    public static InMemoryDataset Create(int count, long seed)
    {
        var generator = new Generator(seed);
        var features = new float[count * Size * Size];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var label = i % Classes;
            labels[i] = label;
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    var quadrant = ((y >= Size / 2) ? 2 : 0) + ((x >= Size / 2) ? 1 : 0);
                    features[(i * Size * Size) + (y * Size) + x] = (quadrant == label ? 1f : 0f) + (0.5f * (float)generator.NextNormal());
                }
            }
        }

        return new InMemoryDataset(features, labels, [1, Size, Size], Classes);
    }

    public static Batch Batch(InMemoryDataset data, int start, int count)
    {
        var indices = Enumerable.Range(start, count).ToArray();
        var features = new float[count * data.SampleSize];
        var labels = new int[count];
        data.CopySamples(indices, features, labels);
        return new Batch(Tensor.FromArray(features, count, 1, Size, Size), labels, indices);
    }
}
