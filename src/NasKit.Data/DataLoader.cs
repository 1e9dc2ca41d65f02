using System.Collections;
using NasKit.Data.Internal;
using NasKit.Tensors;

namespace NasKit.Data;

/// <summary>
/// Cuts a dataset into mini-batches, optionally in a seeded random order that changes every epoch.
/// </summary>
/// <remarks>
/// <para><b>Order.</b> Without shuffling, batches follow the dataset order. With shuffling, epoch <c>e</c> visits the samples in a
/// permutation drawn by a <see cref="Generator"/> seeded from (<see cref="Seed"/>, <c>e</c>): the same seed and epoch always give the
/// same order, on any machine, and different epochs give different orders. <see cref="GetEpoch(int)"/> enumerates a chosen epoch;
/// enumerating the loader itself (<c>foreach (var batch in loader)</c>) enumerates epoch <see cref="Epoch"/> and then advances it,
/// so consecutive <c>foreach</c> loops see consecutive epochs. Each epoch yields every sample exactly once, except that with
/// <see cref="DropLast"/> the last <c>Count % BatchSize</c> samples of the order are skipped.</para>
/// <para><b>Ownership.</b> Each <see cref="Batch"/> owns its input tensor, whose storage comes from the tensor engine's pool; the
/// consumer must dispose it (<c>using (batch) { ... }</c>), or create it inside a <see cref="TensorScope"/> that is disposed. The
/// loader itself reuses one staging buffer per enumeration (returned to the loader when the enumeration ends) and allocates per
/// batch only the tensor and two arrays of B integers, so memory stays flat over an epoch.</para>
/// <para><b>Threading.</b> A loader may be enumerated by several threads at once (each enumeration has its own state), provided the
/// dataset allows concurrent reads; <see cref="Epoch"/> is advanced atomically.</para>
/// </remarks>
/// <example>
/// <code>
/// var loader = new DataLoader(train, batchSize: 128, shuffle: true, seed: 42);
/// for (var epoch = 0; epoch &lt; 10; epoch++)
/// {
///     foreach (var batch in loader.GetEpoch(epoch))
///     {
///         using (batch)
///         using (TensorScope.Begin())
///         {
///             var loss = Functional.CrossEntropy(model.Call(batch.Inputs), batch.Targets);
///             optimizer.ZeroGrad();
///             loss.Backward();
///             optimizer.Step();
///         }
///     }
/// }
/// </code>
/// </example>
public sealed class DataLoader : IEnumerable<Batch>
{
    private readonly int[] _batchShape;
    private float[]? _cachedStaging;
    private int _epoch;

    /// <summary>Initializes a new instance of the <see cref="DataLoader"/> class.</summary>
    /// <param name="dataset">The dataset to draw batches from.</param>
    /// <param name="batchSize">The number of samples per batch; at least 1.</param>
    /// <param name="shuffle">Whether each epoch visits the samples in a fresh seeded random order (true) or in dataset order (false).</param>
    /// <param name="seed">The seed of the shuffling; ignored when <paramref name="shuffle"/> is false.</param>
    /// <param name="dropLast">Whether to skip the last batch of an epoch when it holds fewer than <paramref name="batchSize"/> samples.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1, or a batch would exceed the largest tensor (int.MaxValue elements).</exception>
    public DataLoader(IDataset dataset, int batchSize, bool shuffle = false, long seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size must be >= 1, but got {batchSize}.");
        }

        if ((long)Math.Min(batchSize, Math.Max(dataset.Count, 1)) * dataset.SampleSize > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(batchSize), batchSize, $"A batch of {batchSize} samples of {dataset.SampleSize} floats would exceed the largest array ({Array.MaxLength} elements).");
        }

        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        _batchShape = new int[dataset.SampleShape.Count + 1];
        for (var d = 0; d < dataset.SampleShape.Count; d++)
        {
            _batchShape[d + 1] = dataset.SampleShape[d];
        }
    }

    /// <summary>Gets the dataset batches are drawn from.</summary>
    public IDataset Dataset { get; }

    /// <summary>Gets the number of samples per batch (the last batch of an epoch may hold fewer unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Gets whether each epoch uses a fresh seeded random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Gets the seed of the shuffling.</summary>
    public long Seed { get; }

    /// <summary>Gets whether an incomplete last batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Gets the number of batches in one epoch.</summary>
    public int BatchesPerEpoch => DropLast ? Dataset.Count / BatchSize : (int)(((long)Dataset.Count + BatchSize - 1) / BatchSize);

    /// <summary>Gets or sets the epoch that the next enumeration of the loader itself will produce; set it to resume a run.</summary>
    /// <value>The default value is 0. Each call to <see cref="GetEnumerator"/> uses the current value and then increments it.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative.</exception>
    public int Epoch
    {
        get => Volatile.Read(ref _epoch);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _epoch, value);
        }
    }

    /// <summary>Returns the sample order of epoch <paramref name="epoch"/>: the dataset order, or a seeded permutation when shuffling.</summary>
    /// <param name="epoch">The epoch, at least 0.</param>
    /// <returns>A new array holding each index of 0..Count-1 once, in visiting order (before <see cref="DropLast"/> applies).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public int[] GetOrder(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (Shuffle)
        {
            return new Generator(SeedMixer.Combine(Seed, epoch)).Permutation(Dataset.Count);
        }

        var order = new int[Dataset.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        return order;
    }

    /// <summary>Enumerates the batches of epoch <paramref name="epoch"/>, without changing <see cref="Epoch"/>.</summary>
    /// <param name="epoch">The epoch, at least 0; it selects the shuffled order.</param>
    /// <returns>The batches, created lazily one at a time; each must be disposed by the consumer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public IEnumerable<Batch> GetEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return EnumerateEpoch(epoch);
    }

    /// <summary>Enumerates the batches of epoch <see cref="Epoch"/> and advances <see cref="Epoch"/> by one.</summary>
    /// <returns>An enumerator over the batches; each batch must be disposed by the consumer.</returns>
    public IEnumerator<Batch> GetEnumerator() => EnumerateEpoch(Interlocked.Increment(ref _epoch) - 1).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<Batch> EnumerateEpoch(int epoch)
    {
        var order = GetOrder(epoch);
        var count = order.Length;
        var sampleSize = Dataset.SampleSize;
        var staging = Interlocked.Exchange(ref _cachedStaging, null) ?? new float[Math.Min(BatchSize, count) * sampleSize];
        try
        {
            for (var start = 0; start < count; start += BatchSize)
            {
                var size = Math.Min(BatchSize, count - start);
                if (size < BatchSize && DropLast)
                {
                    yield break;
                }

                var indices = order.AsSpan(start, size).ToArray();
                var targets = new int[size];
                var features = staging.AsSpan(0, size * sampleSize);
                Dataset.CopySamples(indices, features, targets);
                var shape = (int[])_batchShape.Clone();
                shape[0] = size;
                yield return new Batch(Tensor.FromArray(features, shape), targets, indices);
            }
        }
        finally
        {
            // Keep the buffer for the next epoch; a concurrent enumeration that finishes later simply replaces it.
            Interlocked.Exchange(ref _cachedStaging, staging);
        }
    }
}
