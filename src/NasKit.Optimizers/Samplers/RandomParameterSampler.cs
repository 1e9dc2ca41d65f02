using NasKit.Optimizers.Distributions;
using NasKit.Tensors;

namespace NasKit.Optimizers.Samplers;

/// <summary>Draws every hyper-parameter independently of the history: uniformly, or log-uniformly for log parameters (the baseline every
/// other sampler must beat).</summary>
/// <remarks>
/// As Optuna's <c>RandomSampler</c>: a real value is uniform on [low, high] (on [log low, log high] and exponentiated for a log one); a
/// stepped value is uniform on [low − step/2, high + step/2] and rounded to the nearest grid point, so every grid point is equally
/// likely; a log integer is log-uniform on [low − 1/2, high + 1/2] and rounded; a categorical choice is uniform.
/// </remarks>
public sealed class RandomParameterSampler : IParameterSampler
{
    /// <inheritdoc/>
    public string Name => "random";

    /// <inheritdoc/>
    public double Sample(ParameterSamplingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Draw(context.Distribution, context.Generator);
    }

    /// <summary>Draws one value of a distribution.</summary>
    /// <param name="distribution">The distribution.</param>
    /// <param name="generator">The random source.</param>
    /// <returns>The value in its internal representation.</returns>
    internal static double Draw(ParameterDistribution distribution, Generator generator)
    {
        switch (distribution)
        {
            case CategoricalDistribution c:
                return generator.NextInt(c.Choices.Count);
            case IntDistribution i when i.IsSingle:
                return i.Low;
            case IntDistribution { Log: true } i:
                return Math.Clamp(Math.Round(Math.Exp(Uniform(Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5), generator))), i.Low, i.High);
            case IntDistribution i:
                return OnGrid(Uniform(i.Low - (i.Step / 2.0), i.High + (i.Step / 2.0), generator), i.Low, i.High, i.Step);
            case FloatDistribution f when f.IsSingle:
                return f.Low;
            case FloatDistribution { Log: true } f:
                return Math.Clamp(Math.Exp(Uniform(Math.Log(f.Low), Math.Log(f.High), generator)), f.Low, f.High);
            case FloatDistribution { Step: { } step } f:
                return OnGrid(Uniform(f.Low - (step / 2), f.High + (step / 2), generator), f.Low, f.High, step);
            case FloatDistribution f:
                return Math.Min(Uniform(f.Low, f.High, generator), f.High);
            default:
                throw new NotSupportedException($"The distribution type {distribution.GetType().Name} is not supported.");
        }
    }

    /// <summary>Rounds a value to the nearest point of the grid low, low + step, … and clamps it to [low, high].</summary>
    /// <param name="value">The value.</param>
    /// <param name="low">The grid's start.</param>
    /// <param name="high">The grid's last point.</param>
    /// <param name="step">The step.</param>
    /// <returns>The grid point.</returns>
    internal static double OnGrid(double value, double low, double high, double step) =>
        Math.Clamp(low + (Math.Round((value - low) / step) * step), low, high);

    private static double Uniform(double low, double high, Generator generator) => low + (generator.NextDouble() * (high - low));
}
