using NasKit.Tensors.Internal;

namespace NasKit.Tensors.NN;

/// <summary>Provides in-place parameter initialisers matching <c>torch.nn.init</c>. They run without recording gradients.</summary>
public static class Init
{
    /// <summary>Gets the recommended gain for a nonlinearity.</summary>
    /// <param name="nonlinearity">The nonlinearity.</param>
    /// <param name="param">The negative slope for <see cref="Nonlinearity.LeakyRelu"/> (default 0.01).</param>
    /// <returns>The gain.</returns>
    public static double CalculateGain(Nonlinearity nonlinearity, double? param = null) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Conv or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3.0,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        Nonlinearity.Selu => 3.0 / 4.0,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Unknown nonlinearity."),
    };

    /// <summary>Computes (fan-in, fan-out) of a weight: dimension 1 and dimension 0 times the receptive field (the product of the remaining dimensions).</summary>
    /// <param name="tensor">The weight, of rank at least 2.</param>
    /// <returns>The fans.</returns>
    /// <exception cref="ArgumentException">The tensor has rank below 2.</exception>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
        {
            ThrowHelper.ThrowArgument($"Fan-in and fan-out need a tensor of rank >= 2, but got shape {ThrowHelper.FormatShape(tensor.ShapeSpan)}.", nameof(tensor));
        }

        var receptive = 1;
        for (var i = 2; i < tensor.Rank; i++)
        {
            receptive *= tensor.ShapeSpan[i];
        }

        return (tensor.ShapeSpan[1] * receptive, tensor.ShapeSpan[0] * receptive);
    }

    /// <summary>Fills with values uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Uniform(Tensor tensor, double low = 0, double high = 1, Generator? generator = null)
    {
        using var values = Tensor.Uniform(NotNull(tensor).Shape, (float)low, (float)high, generator);
        return Assign(tensor, values);
    }

    /// <summary>Fills with normal values.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        using var values = Tensor.Normal(NotNull(tensor).Shape, (float)mean, (float)std, generator);
        return Assign(tensor, values);
    }

    /// <summary>Fills with a constant.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <param name="value">The value.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Constant(Tensor tensor, double value)
    {
        using (Autograd.NoGrad())
        {
            return NotNull(tensor).FillInPlace((float)value);
        }
    }

    /// <summary>Fills with zeros.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0);

    /// <summary>Fills with ones.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1);

    /// <summary>Kaiming (He) uniform initialisation: U(−b, b) with b = gain·√(3/fan).</summary>
    /// <param name="tensor">The weight.</param>
    /// <param name="a">The negative slope of the following leaky ReLU (0 for ReLU).</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The following nonlinearity.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        var std = KaimingStd(tensor, a, mode, nonlinearity);
        var bound = Math.Sqrt(3.0) * std;
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>Kaiming (He) normal initialisation: N(0, std²) with std = gain/√fan.</summary>
    /// <param name="tensor">The weight.</param>
    /// <param name="a">The negative slope of the following leaky ReLU (0 for ReLU).</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The following nonlinearity.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null) =>
        Normal(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity), generator);

    /// <summary>Xavier (Glorot) uniform initialisation: U(−b, b) with b = gain·√(6/(fan_in + fan_out)).</summary>
    /// <param name="tensor">The weight.</param>
    /// <param name="gain">The gain.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>Xavier (Glorot) normal initialisation: N(0, std²) with std = gain·√(2/(fan_in + fan_out)).</summary>
    /// <param name="tensor">The weight.</param>
    /// <param name="gain">The gain.</param>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The tensor.</returns>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        return Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    private static double KaimingStd(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        var fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0)
        {
            ThrowHelper.ThrowArgument($"Kaiming initialisation of an empty tensor (shape {ThrowHelper.FormatShape(tensor.ShapeSpan)}) is undefined.", nameof(tensor));
        }

        return CalculateGain(nonlinearity, a) / Math.Sqrt(fan);
    }

    private static Tensor Assign(Tensor tensor, Tensor values)
    {
        using (Autograd.NoGrad())
        {
            return tensor.CopyFrom(values);
        }
    }

    private static Tensor NotNull(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t;
    }
}
