namespace NasKit.Tensors.Tests.Internal.Backends.Cpu;

/// <summary>
/// A tensor view that starts a few elements into its storage, with sentinel guard elements before and after it, so that
/// kernel tests exercise non-zero storage offsets and can check that a kernel writes nothing outside its destination.
/// </summary>
internal sealed class GuardedTensor : IDisposable
{
    /// <summary>The default value of every guard element (and of every destination element before the kernel runs).</summary>
    public const float Sentinel = -3.25e33f;

    private const int Guard = 7;

    private readonly Tensor _storage;
    private readonly int _length;
    private readonly float _guard;

    private GuardedTensor(float[] values, int[] shape, float guard)
    {
        _length = values.Length;
        _guard = guard;
        var padded = new float[_length + (2 * Guard)];
        Array.Fill(padded, guard);
        values.CopyTo(padded, Guard);
        _storage = Tensor.FromArray(padded, padded.Length);
        using var narrow = _storage.Narrow(0, Guard, _length);
        View = narrow.View(shape);
    }

    /// <summary>Gets the view the kernel reads or writes.</summary>
    public Tensor View { get; }

    /// <summary>Wraps a copy of <paramref name="values"/> in a guarded view of <paramref name="shape"/>.</summary>
    public static GuardedTensor Of(float[] values, params int[] shape) => new(values, shape, Sentinel);

    /// <summary>Wraps a copy of <paramref name="values"/> in a view of <paramref name="shape"/> whose guard elements hold <paramref name="guard"/>.</summary>
    public static GuardedTensor WithGuard(float guard, float[] values, params int[] shape) => new(values, shape, guard);

    /// <summary>Creates a guarded destination of <paramref name="shape"/> whose elements all hold <see cref="Sentinel"/>.</summary>
    public static GuardedTensor Destination(params int[] shape)
    {
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        Array.Fill(values, Sentinel);
        return new GuardedTensor(values, shape, Sentinel);
    }

    /// <summary>Returns the view's elements after asserting that every guard element still holds its value.</summary>
    public float[] Read(string what)
    {
        var all = _storage.ToArray();
        for (var i = 0; i < Guard; i++)
        {
            Assert.That(all[i], Is.EqualTo(_guard), $"{what}: guard element {i - Guard} before the destination was overwritten");
            Assert.That(all[Guard + _length + i], Is.EqualTo(_guard), $"{what}: guard element {i} after the destination was overwritten");
        }

        return all.AsSpan(Guard, _length).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        View.Dispose();
        _storage.Dispose();
    }
}
