using NasKit.Objectives;
using NasKit.Optimizers.Distributions;
using NasKit.Optimizers.Samplers;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.Samplers;

public sealed class RandomParameterSamplerTests
{
    private static double Draw(ParameterDistribution d, long seed) =>
        new RandomParameterSampler().Sample(new ParameterSamplingContext("p", d, [], [Objective.Minimize("loss")], new Generator(seed)));

    [Test]
    public void Sample_SteppedInt_EveryGridPointAboutEquallyLikely()
    {
        var d = new IntDistribution(0, 9, step: 3); // grid 0, 3, 6, 9
        var counts = new Dictionary<double, int>();
        for (var s = 0; s < 4000; s++)
        {
            var v = Draw(d, s);
            counts[v] = counts.GetValueOrDefault(v) + 1;
        }

        // 4000 draws, p = 1/4: mean 1000, σ ≈ 27; ±150 is more than 5σ.
        Assert.Multiple(() =>
        {
            Assert.That(counts.Keys.Order(), Is.EqualTo(new[] { 0.0, 3, 6, 9 }));
            Assert.That(counts.Values, Is.All.InRange(850, 1150));
        });
    }

    [Test]
    public void Sample_LogFloat_LogUniform()
    {
        var d = new FloatDistribution(1e-4, 1, log: true);
        var values = Enumerable.Range(0, 4000).Select(s => Draw(d, s)).ToList();
        // Log-uniform on [1e-4, 1]: each decade holds a quarter of the draws (uniform would put 90% in the last one).
        var lowestDecade = values.Count(v => v < 1e-3);
        Assert.Multiple(() =>
        {
            Assert.That(values, Is.All.InRange(1e-4, 1.0));
            Assert.That(lowestDecade, Is.InRange(850, 1150));
        });
    }

    [Test]
    public void Sample_LogIntAndSteppedFloatAndCategorical_AlwaysInsideDistribution()
    {
        ParameterDistribution[] distributions =
        [
            new IntDistribution(1, 7, log: true), new FloatDistribution(0, 1, step: 0.3), CategoricalDistribution.Of(["a", "b", "c"]),
            new FloatDistribution(-2, 3),
        ];
        foreach (var d in distributions)
        {
            var values = Enumerable.Range(0, 500).Select(s => Draw(d, s)).ToList();
            Assert.That(values.All(d.Contains), Is.True, d.ToString());
            Assert.That(values.Distinct().Count(), Is.GreaterThan(2), d.ToString());
        }
    }
}
