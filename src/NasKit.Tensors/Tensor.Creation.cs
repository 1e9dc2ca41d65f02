using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors;

public partial class Tensor
{
    /// <summary>Creates a tensor of the given shape with undefined contents (PyTorch's <c>empty</c>).</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Empty(params ReadOnlySpan<int> shape) => CreateUninitialized(ShapeUtils.ValidateShape(shape));

    /// <summary>Creates a tensor filled with zeros.</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Zeros(params ReadOnlySpan<int> shape) => CreateZeroed(ShapeUtils.ValidateShape(shape));

    /// <summary>Creates a tensor filled with ones.</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(shape, 1f);

    /// <summary>Creates a tensor filled with <paramref name="value"/>.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="value">The fill value.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Full(ReadOnlySpan<int> shape, float value)
    {
        var t = CreateUninitialized(ShapeUtils.ValidateShape(shape));
        t.Backend.Fill(t, value);
        return t;
    }

    /// <summary>Creates a zero-dimensional tensor holding <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Scalar(float value) => Full([], value);

    /// <summary>Creates the 1-D tensor [0, 1, ..., end - 1].</summary>
    /// <param name="end">The exclusive end.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Arange(float end) => Arange(0f, end, 1f);

    /// <summary>Creates the 1-D tensor [start, start + step, ...) up to (excluding) <paramref name="end"/>.</summary>
    /// <param name="start">The first value.</param>
    /// <param name="end">The exclusive end.</param>
    /// <param name="step">The increment; non-zero.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The step is zero or points away from <paramref name="end"/>.</exception>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0f || float.IsNaN(step) || (end - start) * step < 0f)
        {
            ThrowHelper.ThrowArgument($"Arange needs a non-zero step that moves from start towards end, but got start={start}, end={end}, step={step}.", nameof(step));
        }

        var n = (int)Math.Ceiling((end - start) / (double)step);
        var data = new float[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = (float)(start + ((double)i * step));
        }

        return FromArray(data, n);
    }

    /// <summary>Creates <paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    /// <param name="start">The first value.</param>
    /// <param name="end">The last value.</param>
    /// <param name="steps">The number of values; non-negative.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Linspace(float start, float end, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var data = new float[steps];
        for (var i = 0; i < steps; i++)
        {
            data[i] = steps == 1 ? start : (float)(start + ((end - (double)start) * i / (steps - 1)));
        }

        return FromArray(data, steps);
    }

    /// <summary>Creates an <paramref name="n"/>×<paramref name="m"/> matrix with ones on the diagonal.</summary>
    /// <param name="n">The number of rows.</param>
    /// <param name="m">The number of columns; defaults to <paramref name="n"/>.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Eye(int n, int? m = null)
    {
        var cols = m ?? n;
        var t = Zeros(n, cols);
        var data = new float[n * cols];
        for (var i = 0; i < Math.Min(n, cols); i++)
        {
            data[(i * cols) + i] = 1f;
        }

        t.Backend.CopyFromHost(data, t);
        return t;
    }

    /// <summary>Creates a tensor of values drawn uniformly from [0, 1).</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Rand(int[] shape, Generator? generator = null) => Uniform(shape, 0f, 1f, generator);

    /// <summary>Creates a tensor of standard normal values.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Randn(int[] shape, Generator? generator = null) => Normal(shape, 0f, 1f, generator);

    /// <summary>Creates a tensor of values drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Uniform(int[] shape, float low, float high, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!(low <= high))
        {
            ThrowHelper.ThrowArgument($"'low <= high' must hold, but got low={low}, high={high}.");
        }

        var t = CreateUninitialized(ShapeUtils.ValidateShape(shape));
        t.Backend.FillUniform(t, low, high, generator ?? Generator.Default);
        return t;
    }

    /// <summary>Creates a tensor of normal values with the given mean and standard deviation.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation; non-negative.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Normal(int[] shape, float mean, float std, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!(std >= 0f))
        {
            ThrowHelper.ThrowArgument($"The standard deviation must be >= 0, but got {std}.", nameof(std));
        }

        var t = CreateUninitialized(ShapeUtils.ValidateShape(shape));
        t.Backend.FillNormal(t, mean, std, generator ?? Generator.Default);
        return t;
    }

    /// <summary>Creates a tensor by copying <paramref name="data"/> (row-major) into the given shape.</summary>
    /// <param name="data">The values.</param>
    /// <param name="shape">The shape; when empty, a 1-D tensor of the data's length.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The number of values does not match the shape.</exception>
    public static Tensor FromArray(ReadOnlySpan<float> data, params ReadOnlySpan<int> shape)
    {
        var s = shape.Length == 0 ? [data.Length] : ShapeUtils.ValidateShape(shape);
        var n = ShapeUtils.Numel(s);
        if (n != data.Length)
        {
            ThrowHelper.ThrowArgument($"{data.Length} values cannot fill a tensor of shape {ThrowHelper.FormatShape(s)}, which holds {n}.", nameof(data));
        }

        var t = CreateUninitialized(s);
        t.Backend.CopyFromHost(data, t);
        return t;
    }

    /// <summary>Creates a matrix from a 2-D array.</summary>
    /// <param name="data">The values.</param>
    /// <returns>The tensor.</returns>
    public static Tensor FromArray(float[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromArray(Flatten(data), data.GetLength(0), data.GetLength(1));
    }

    /// <summary>Creates a 3-D tensor from a 3-D array.</summary>
    /// <param name="data">The values.</param>
    /// <returns>The tensor.</returns>
    public static Tensor FromArray(float[,,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromArray(Flatten(data), data.GetLength(0), data.GetLength(1), data.GetLength(2));
    }

    /// <summary>Creates a 4-D tensor from a 4-D array.</summary>
    /// <param name="data">The values.</param>
    /// <returns>The tensor.</returns>
    public static Tensor FromArray(float[,,,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromArray(Flatten(data), data.GetLength(0), data.GetLength(1), data.GetLength(2), data.GetLength(3));
    }

    /// <summary>Creates a tensor of the same shape filled with zeros.</summary>
    /// <param name="other">The tensor whose shape is used.</param>
    /// <returns>The tensor.</returns>
    public static Tensor ZerosLike(Tensor other) => Zeros(NotNull(other).ShapeSpan);

    /// <summary>Creates a tensor of the same shape filled with ones.</summary>
    /// <param name="other">The tensor whose shape is used.</param>
    /// <returns>The tensor.</returns>
    public static Tensor OnesLike(Tensor other) => Ones(NotNull(other).ShapeSpan);

    /// <summary>Creates a tensor of the same shape filled with <paramref name="value"/>.</summary>
    /// <param name="other">The tensor whose shape is used.</param>
    /// <param name="value">The fill value.</param>
    /// <returns>The tensor.</returns>
    public static Tensor FullLike(Tensor other, float value) => Full(NotNull(other).ShapeSpan, value);

    /// <summary>Creates a tensor of the same shape with undefined contents.</summary>
    /// <param name="other">The tensor whose shape is used.</param>
    /// <returns>The tensor.</returns>
    public static Tensor EmptyLike(Tensor other) => Empty(NotNull(other).ShapeSpan);

    /// <summary>Creates a tensor of the same shape with values uniform in [0, 1).</summary>
    /// <param name="other">The tensor whose shape is used.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor RandLike(Tensor other, Generator? generator = null) => Rand(NotNull(other).Shape, generator);

    /// <summary>Creates a tensor of the same shape with standard normal values.</summary>
    /// <param name="other">The tensor whose shape is used.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor RandnLike(Tensor other, Generator? generator = null) => Randn(NotNull(other).Shape, generator);

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction of leaves.</summary>
    /// <param name="requiresGrad">Whether gradients are needed.</param>
    /// <returns>This tensor.</returns>
    public Tensor WithRequiresGrad(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    private static Tensor NotNull(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t;
    }

    private static float[] Flatten(Array data)
    {
        var result = new float[data.Length];
        var i = 0;
        foreach (float v in data)
        {
            result[i++] = v;
        }

        return result;
    }
}
