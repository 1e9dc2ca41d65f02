using NasKit.Tensors;

namespace NasKit.Data.Tests;

[TestFixture]
public sealed class DataLoaderTests
{
    [Test]
    public void Enumerate_NoShuffle_YieldsDatasetOrderWithShapesAndLastPartialBatch()
    {
        var dataset = TestDatasets.Indexed(10, numClasses: 3, channels: 2);
        var loader = new DataLoader(dataset, batchSize: 4);
        var sizes = new List<int>();
        var shapes = new List<int[]>();
        var order = new List<int>();

        foreach (var batch in loader)
        {
            using (batch)
            {
                sizes.Add(batch.Count);
                shapes.Add(batch.Inputs.Shape);
                order.AddRange(batch.Indices.ToArray());
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(loader.BatchesPerEpoch, Is.EqualTo(3));
            Assert.That(sizes, Is.EqualTo(new[] { 4, 4, 2 }));
            Assert.That(shapes[0], Is.EqualTo(new[] { 4, 2, 2, 2 }));
            Assert.That(shapes[2], Is.EqualTo(new[] { 2, 2, 2, 2 }));
            Assert.That(order, Is.EqualTo(Enumerable.Range(0, 10)));
        });
    }

    [Test]
    public void Enumerate_DropLast_SkipsIncompleteBatch()
    {
        var loader = new DataLoader(TestDatasets.Indexed(10), batchSize: 4, shuffle: true, seed: 3, dropLast: true);

        var batches = loader.GetEpoch(0).ToList();
        var seen = batches.SelectMany(b => b.Indices.ToArray()).ToArray();
        batches.ForEach(b => b.Dispose());

        Assert.Multiple(() =>
        {
            Assert.That(loader.BatchesPerEpoch, Is.EqualTo(2));
            Assert.That(batches.Select(b => b.Count), Is.EqualTo(new[] { 4, 4 }));
            Assert.That(seen, Is.EqualTo(loader.GetOrder(0)[..8]));
            Assert.That(seen, Is.Unique);
        });
    }

    [Test]
    public void Enumerate_DropLastWithExactMultiple_KeepsAllBatches()
    {
        var loader = new DataLoader(TestDatasets.Indexed(8), batchSize: 4, dropLast: true);

        Assert.That(Sizes(loader.GetEpoch(0)), Is.EqualTo(new[] { 4, 4 }));
    }

    [Test]
    public void Enumerate_BatchLargerThanDataset_YieldsOneBatchOrNoneWithDropLast()
    {
        var dataset = TestDatasets.Indexed(3);

        Assert.Multiple(() =>
        {
            Assert.That(Sizes(new DataLoader(dataset, batchSize: 5).GetEpoch(0)), Is.EqualTo(new[] { 3 }));
            Assert.That(Sizes(new DataLoader(dataset, batchSize: 5, dropLast: true).GetEpoch(0)), Is.Empty);
        });
    }

    [Test]
    public void Enumerate_EmptyDataset_YieldsNothing()
    {
        var dataset = new InMemoryDataset([], [], [1, 2, 2], numClasses: 2);

        Assert.That(Sizes(new DataLoader(dataset, batchSize: 4, shuffle: true).GetEpoch(0)), Is.Empty);
    }

    [Test]
    public void Enumerate_Shuffled_InputsAndTargetsMatchTheSamplesNamedByIndices()
    {
        var dataset = TestDatasets.Indexed(13, numClasses: 5, channels: 2);
        var loader = new DataLoader(dataset, batchSize: 5, shuffle: true, seed: 11);

        foreach (var batch in loader.GetEpoch(2))
        {
            using (batch)
            {
                var values = batch.Inputs.ToArray();
                for (var i = 0; i < batch.Count; i++)
                {
                    var index = batch.Indices[i];
                    Assert.That(values.AsSpan(i * 8, 8).ToArray(), Is.EqualTo(dataset.GetFeatures(index).ToArray()), $"row {i}");
                    Assert.That(batch.Targets[i], Is.EqualTo(dataset.GetLabel(index)), $"row {i}");
                }
            }
        }
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(7)]
    public void Enumerate_Shuffled_VisitsEverySampleExactlyOncePerEpoch(int epoch)
    {
        var loader = new DataLoader(TestDatasets.Indexed(103), batchSize: 10, shuffle: true, seed: 5);

        var seen = Indices(loader.GetEpoch(epoch));

        Assert.That(seen.Order(), Is.EqualTo(Enumerable.Range(0, 103)));
    }

    [Test]
    public void GetEpoch_SameSeedAndEpoch_SameOrderAcrossLoaders()
    {
        var dataset = TestDatasets.Indexed(50);
        var a = new DataLoader(dataset, batchSize: 8, shuffle: true, seed: 123);
        var b = new DataLoader(dataset, batchSize: 8, shuffle: true, seed: 123);

        Assert.That(Indices(a.GetEpoch(4)), Is.EqualTo(Indices(b.GetEpoch(4))));
    }

    [Test]
    public void GetEpoch_DifferentEpochs_DifferentShuffledOrders()
    {
        var loader = new DataLoader(TestDatasets.Indexed(50), batchSize: 8, shuffle: true, seed: 123);

        var first = Indices(loader.GetEpoch(0));
        var second = Indices(loader.GetEpoch(1));

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.EqualTo(first));
            Assert.That(first, Is.Not.EqualTo(Enumerable.Range(0, 50)));
        });
    }

    [Test]
    public void GetEpoch_DifferentSeeds_DifferentOrders()
    {
        var dataset = TestDatasets.Indexed(50);

        var a = Indices(new DataLoader(dataset, batchSize: 8, shuffle: true, seed: 1).GetEpoch(0));
        var b = Indices(new DataLoader(dataset, batchSize: 8, shuffle: true, seed: 2).GetEpoch(0));

        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void GetEpoch_AdjacentSeedAndEpoch_DoNotShareAnOrder()
    {
        // (seed, epoch + 1) and (seed + 1, epoch) would collide if the epoch were simply added to the seed.
        var dataset = TestDatasets.Indexed(50);

        var a = new DataLoader(dataset, batchSize: 8, shuffle: true, seed: 10).GetOrder(1);
        var b = new DataLoader(dataset, batchSize: 8, shuffle: true, seed: 11).GetOrder(0);

        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void GetEnumerator_ConsecutiveForeachLoops_EnumerateConsecutiveEpochs()
    {
        var loader = new DataLoader(TestDatasets.Indexed(30), batchSize: 7, shuffle: true, seed: 9);

        var first = Indices(loader);
        var second = Indices(loader);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(loader.GetOrder(0)));
            Assert.That(second, Is.EqualTo(loader.GetOrder(1)));
            Assert.That(loader.Epoch, Is.EqualTo(2));
        });
    }

    [Test]
    public void Epoch_SetToResume_NextForeachUsesThatEpoch()
    {
        var loader = new DataLoader(TestDatasets.Indexed(30), batchSize: 7, shuffle: true, seed: 9) { Epoch = 5 };

        Assert.That(Indices(loader), Is.EqualTo(loader.GetOrder(5)));
    }

    [Test]
    public void Epoch_SetNegative_Throws()
    {
        var loader = new DataLoader(TestDatasets.Indexed(3), batchSize: 1);

        Assert.That(() => loader.Epoch = -1, Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void Ctor_BatchSizeNotPositive_ThrowsWithValue(int batchSize)
    {
        Assert.That(
            () => new DataLoader(TestDatasets.Indexed(3), batchSize),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains($"must be >= 1, but got {batchSize}"));
    }

    [Test]
    public void Ctor_NullDataset_Throws()
    {
        Assert.That(() => new DataLoader(null!, 4), Throws.ArgumentNullException);
    }

    [Test]
    public void GetEpoch_Negative_Throws()
    {
        var loader = new DataLoader(TestDatasets.Indexed(3), batchSize: 1);

        Assert.That(() => loader.GetEpoch(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void GetOrder_NoShuffle_IsIdentityForEveryEpoch()
    {
        var loader = new DataLoader(TestDatasets.Indexed(6), batchSize: 4, shuffle: false, seed: 99);

        Assert.That(loader.GetOrder(3), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void Batch_Dispose_DisposesInputs()
    {
        var loader = new DataLoader(TestDatasets.Indexed(6), batchSize: 4);
        var batch = loader.GetEpoch(0).First();

        batch.Dispose();

        Assert.That(batch.Inputs.IsDisposed, Is.True);
    }

    [Test]
    public void Batch_CreatedInsideScope_DisposedWithTheScope()
    {
        var loader = new DataLoader(TestDatasets.Indexed(6), batchSize: 4);
        Batch batch;
        using (TensorScope.Begin())
        {
            batch = loader.GetEpoch(0).First();
            Assert.That(batch.Inputs.IsDisposed, Is.False);
        }

        Assert.That(batch.Inputs.IsDisposed, Is.True);
    }

    [Test]
    public void Enumerate_SecondEpochWithDisposedBatches_ReusesPooledStorageAndAllocatesLittle()
    {
        // 64 × 784 floats per batch is 200 KB: pooled, so once warm an epoch must neither grow the pool nor allocate per batch.
        const int Count = 64 * 20;
        var features = new float[Count * 784];
        var dataset = new InMemoryDataset(features, new int[Count], [1, 28, 28], numClasses: 1);
        var loader = new DataLoader(dataset, batchSize: 64, shuffle: true, seed: 1);
        Drain(loader.GetEpoch(0));

        var poolBefore = TensorScope.Statistics.PoolAllocatedBytes;
        var managedBefore = GC.GetAllocatedBytesForCurrentThread();
        Drain(loader.GetEpoch(1));
        var managed = GC.GetAllocatedBytesForCurrentThread() - managedBefore;
        var pool = TensorScope.Statistics.PoolAllocatedBytes - poolBefore;

        Assert.Multiple(() =>
        {
            Assert.That(pool, Is.Zero, "the pool had to allocate new storage for a warm epoch");
            // The epoch's permutation (5 KB) plus small per-batch objects; one batch of features alone would be 200 KB.
            Assert.That(managed, Is.LessThan(64 * 1024));
        });
    }

    private static void Drain(IEnumerable<Batch> batches)
    {
        foreach (var batch in batches)
        {
            batch.Dispose();
        }
    }

    private static int[] Sizes(IEnumerable<Batch> batches)
    {
        var sizes = new List<int>();
        foreach (var batch in batches)
        {
            using (batch)
            {
                sizes.Add(batch.Count);
            }
        }

        return [.. sizes];
    }

    private static int[] Indices(IEnumerable<Batch> batches)
    {
        var indices = new List<int>();
        foreach (var batch in batches)
        {
            using (batch)
            {
                indices.AddRange(batch.Indices.ToArray());
            }
        }

        return [.. indices];
    }
}
