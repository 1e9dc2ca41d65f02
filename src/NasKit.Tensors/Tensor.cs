using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Internal.Shapes;
using NasKit.Tensors.Internal.Storage;

namespace NasKit.Tensors;

/// <summary>
/// Represents an n-dimensional array of float32 values (NCHW for images) that records the operations applied
/// to it for reverse-mode automatic differentiation.
/// </summary>
/// <remarks>
/// <para>The API reads like PyTorch/TorchSharp in .NET casing: <c>x.MatMul(w).Add(b).Relu()</c>, <c>loss.Backward()</c>.
/// Ops never return one of their inputs: every result is a fresh tensor object, which may share storage with an
/// input when the op is a view (<see cref="View(int[])"/>, <see cref="Permute(int[])"/>, slicing).</para>
/// <para>Storage is pooled. Dispose tensors you no longer need, or create them inside a <see cref="TensorScope"/>
/// that disposes them together; tensors left undisposed are reclaimed by the GC.</para>
/// <para>Instances are not thread-safe for concurrent mutation; concurrent reads are safe.</para>
/// </remarks>
public partial class Tensor : IDisposable
{
    private TensorStorage? _storage;
    private readonly int _offset;
    private readonly int[] _shape;
    private readonly int[] _strides;
    private readonly int _numel;
    private readonly bool _isContiguous;
    private readonly Device _device;
    private int _savedCount;
    private bool _disposeRequested;

    /// <summary>Initializes a new tensor over <paramref name="storage"/>, taking ownership of one reference to it.</summary>
    internal Tensor(TensorStorage storage, int[] shape, int[]? strides = null, int offset = 0)
    {
        _storage = storage;
        _shape = shape;
        _strides = strides ?? ShapeUtils.ContiguousStrides(shape);
        _offset = offset;
        _numel = ShapeUtils.Numel(shape);
        _isContiguous = ShapeUtils.IsContiguous(_shape, _strides);
        _device = storage.Device;
        TensorScope.OnCreated(this);
    }

    /// <summary>Gets the number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Gets a copy of the shape.</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>Gets a copy of the strides, in elements.</summary>
    public int[] Strides => (int[])_strides.Clone();

    /// <summary>Gets the offset of the first element in the underlying storage, in elements.</summary>
    public int StorageOffset => _offset;

    /// <summary>Gets the number of elements.</summary>
    public int NumberOfElements => _numel;

    /// <summary>Gets whether the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous => _isContiguous;

    /// <summary>Gets the device the tensor lives on.</summary>
    public Device Device => _device;

    /// <summary>Gets whether the tensor has been disposed.</summary>
    public bool IsDisposed => _storage is null || _storage.IsReleased;

    /// <summary>Gets or sets an optional name, shown by <see cref="ToString()"/> and in diagnostics.</summary>
    public string? Name { get; set; }

    /// <summary>Gets the shape as a span, without copying (internal callers must not mutate it).</summary>
    internal ReadOnlySpan<int> ShapeSpan => _shape;

    internal int[] ShapeArray => _shape;

    internal ReadOnlySpan<int> StridesSpan => _strides;

    internal int[] StridesArray => _strides;

    internal int Offset => _offset;

    /// <summary>Gets the storage, throwing <see cref="ObjectDisposedException"/> when disposed.</summary>
    internal TensorStorage Storage
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var s = _storage;
            if (s is null || s.IsReleased)
            {
                ThrowHelper.ThrowDisposed();
            }

            return s;
        }
    }

    internal TensorScope? OwningScope { get; set; }

    internal ITensorBackend Backend => BackendProvider.For(_device);

    /// <summary>Gets whether this tensor is the only user of its storage (no views share it).</summary>
    internal bool HasExclusiveStorage => Storage.RefCount == 1;

    /// <summary>Gets the size of dimension <paramref name="dim"/> (negative values count from the end).</summary>
    /// <param name="dim">The dimension.</param>
    /// <returns>The size.</returns>
    public int Size(int dim) => _shape[ShapeUtils.NormalizeDim(dim, Rank)];

    /// <summary>
    /// Disposes the tensor, returning its storage to the pool once no view uses it. When the autograd graph still needs this
    /// tensor for a pending backward pass, the release is deferred until the graph lets go of it (after backward, or when the
    /// graph is discarded), so disposing forward intermediates early is always safe.
    /// </summary>
    public void Dispose()
    {
        GC.SuppressFinalize(this);
        if (Volatile.Read(ref _savedCount) > 0)
        {
            _disposeRequested = true;
            return;
        }

        ReleaseStorage();
    }

    /// <summary>Marks this tensor as needed by a backward node: disposal is deferred until <see cref="ReleaseSavedReference"/>.</summary>
    internal void AddSavedReference() => Interlocked.Increment(ref _savedCount);

    /// <summary>Ends one backward node's need for this tensor, completing a deferred disposal when it was the last.</summary>
    internal void ReleaseSavedReference()
    {
        if (Interlocked.Decrement(ref _savedCount) == 0 && _disposeRequested)
        {
            ReleaseStorage();
        }
    }

    private void ReleaseStorage()
    {
        var s = Interlocked.Exchange(ref _storage, null);
        if (s is null)
        {
            return;
        }

        TensorScope.OnDisposed();
        s.Release();
    }

    /// <summary>Returns a readable summary: shape, gradient state and (up to a limit) the values.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToString(maxElements: 64);

    /// <summary>Returns a readable summary showing at most <paramref name="maxElements"/> values.</summary>
    /// <param name="maxElements">The maximum number of values to print.</param>
    /// <returns>The text.</returns>
    public string ToString(int maxElements)
    {
        var sb = new StringBuilder();
        sb.Append("Tensor");
        if (Name is not null)
        {
            sb.Append(" '").Append(Name).Append('\'');
        }

        sb.Append(ThrowHelper.FormatShape(_shape));
        if (IsDisposed)
        {
            return sb.Append(" (disposed)").ToString();
        }

        if (GradFn is not null)
        {
            sb.Append(", grad_fn=").Append(GradFunctionName);
        }
        else if (RequiresGrad)
        {
            sb.Append(", requires_grad");
        }

        sb.Append(": ");
        var values = ToArray();
        if (Rank == 0)
        {
            return sb.Append(values[0].ToString("G6", CultureInfo.InvariantCulture)).ToString();
        }

        AppendValues(sb, values, 0, 0, Math.Max(maxElements, 1), out _);
        return sb.ToString();
    }

    private int AppendValues(StringBuilder sb, float[] values, int dim, int start, int budget, out int printed)
    {
        printed = 0;
        sb.Append('[');
        var n = _shape[dim];
        var block = 1;
        for (var d = dim + 1; d < Rank; d++)
        {
            block *= _shape[d];
        }

        for (var i = 0; i < n; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            if (budget - printed <= 0)
            {
                sb.Append("...");
                break;
            }

            if (dim == Rank - 1)
            {
                sb.Append(values[start + i].ToString("G6", CultureInfo.InvariantCulture));
                printed++;
            }
            else
            {
                AppendValues(sb, values, dim + 1, start + (i * block), budget - printed, out var inner);
                printed += inner;
            }
        }

        sb.Append(']');
        return printed;
    }

    /// <summary>Creates a new tensor object sharing this tensor's storage with a different layout (no copy, no autograd).</summary>
    internal Tensor AliasAs(int[] shape, int[] strides, int offset)
    {
        var s = Storage;
        s.AddRef();
        return new Tensor(s, shape, strides, offset);
    }

    /// <summary>Creates a new tensor object sharing this tensor's storage and layout (no autograd).</summary>
    internal Tensor Alias() => AliasAs(_shape, _strides, _offset);

    /// <summary>Allocates an uninitialised contiguous tensor of <paramref name="shape"/>.</summary>
    internal static Tensor CreateUninitialized(int[] shape) =>
        new(BackendProvider.Cpu.Allocate(ShapeUtils.Numel(shape), zero: false), shape);

    /// <summary>Allocates a zero-filled contiguous tensor of <paramref name="shape"/>.</summary>
    internal static Tensor CreateZeroed(int[] shape) =>
        new(BackendProvider.Cpu.Allocate(ShapeUtils.Numel(shape), zero: true), shape);

    /// <summary>Marks an in-place write so autograd can detect stale saved tensors.</summary>
    internal void BumpVersion() => Storage.Version++;

    internal int Version => Storage.Version;

    internal void ThrowIfDisposed() => _ = Storage;
}
