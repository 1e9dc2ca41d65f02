using BenchmarkDotNet.Attributes;

namespace NasKit.Tensors.Benchmarks;

/// <summary>
/// Base of every NasKit.Tensors benchmark: owns the tensors made in <c>[GlobalSetup]</c> and the result of the latest
/// invocation, so that pooled storage is returned between iterations and everything is released in <c>[GlobalCleanup]</c>.
/// </summary>
/// <remarks>
/// A benchmark body returns its result (so the JIT cannot drop the work) through <see cref="Publish(Tensor)"/>: the result
/// stays readable until the next invocation of any benchmark method of the same instance, which then disposes it. The
/// validation tests rely on that window to compare each result with the baseline's.
/// </remarks>
public abstract class TensorBenchmark : IDisposable
{
    private readonly List<Tensor> _owned = [];
    private Tensor[] _published = [];

    /// <summary>Makes the generator every benchmark draws its inputs from, so each run sees the same data.</summary>
    /// <param name="salt">Distinguishes the streams of different inputs of one benchmark.</param>
    /// <returns>A generator seeded with a fixed value plus <paramref name="salt"/>.</returns>
    protected static Generator Seeded(int salt = 0) => new(20_240_601 + salt);

    /// <summary>Registers a set-up tensor for disposal at global clean-up.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The same tensor.</returns>
    protected Tensor Own(Tensor tensor)
    {
        _owned.Add(tensor);
        return tensor;
    }

    /// <summary>Disposes the previous invocation's result and keeps <paramref name="result"/> as the current one.</summary>
    /// <param name="result">The new result.</param>
    /// <returns>The same tensor.</returns>
    protected Tensor Publish(Tensor result)
    {
        ReleasePublished();
        _published = [result];
        return result;
    }

    /// <summary>Disposes the previous invocation's result and keeps <paramref name="parts"/> as the current one.</summary>
    /// <param name="parts">The tensors that make up the new result.</param>
    /// <returns>The same array.</returns>
    protected Tensor[] Publish(params Tensor[] parts)
    {
        ReleasePublished();
        _published = parts;
        return parts;
    }

    /// <summary>Disposes the previous invocation's result and keeps <paramref name="result"/> as the current one.</summary>
    /// <param name="result">The values and indices of a reduction.</param>
    /// <returns>The same pair.</returns>
    protected ValuesAndIndices Publish(ValuesAndIndices result)
    {
        ReleasePublished();
        _published = [result.Values, result.Indices];
        return result;
    }

    /// <summary>Releases every tensor this benchmark owns (BenchmarkDotNet calls it once after the last iteration).</summary>
    [GlobalCleanup]
    public void GlobalCleanup() => Dispose();

    /// <summary>Releases every tensor this benchmark owns.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the set-up tensors and the latest result.</summary>
    /// <param name="disposing">Whether this is called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        ReleasePublished();
        foreach (var t in _owned)
        {
            t.Dispose();
        }

        _owned.Clear();
    }

    private void ReleasePublished()
    {
        foreach (var t in _published)
        {
            t.Dispose();
        }

        _published = [];
    }
}
