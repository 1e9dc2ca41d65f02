using NasKit.Optimizers.OneShot;

namespace NasKit.Optimizers.Tests.OneShot;

public sealed class OneShotSearchOptionsTests
{
    [Test]
    public void Constructor_ZoMethods_UseTheZoDartsPlusDefaults()
    {
        // ALGORITHMS.md §1 and §15c: w SGD 0.1 → 0.001, wd 3e-4, Nesterov, clip 5; α Adam 1.5e-2 (0.5, 0.999) wd 1e-3; R = 10; μ = 0.005‖α‖.
        var o = new OneShotSearchOptions(OneShotMethod.ZoDartsPlus);
        Assert.Multiple(() =>
        {
            Assert.That(o.WeightLearningRate, Is.EqualTo(0.1));
            Assert.That(o.WeightLearningRateMin, Is.EqualTo(0.001));
            Assert.That(o.WeightDecay, Is.EqualTo(3e-4));
            Assert.That(o.WeightNesterov, Is.True);
            Assert.That(o.GradientClip, Is.EqualTo(5));
            Assert.That(o.ArchitectureLearningRate, Is.EqualTo(1.5e-2));
            Assert.That((o.ArchitectureBeta1, o.ArchitectureBeta2), Is.EqualTo((0.5, 0.999)));
            Assert.That(o.ArchitectureWeightDecay, Is.EqualTo(1e-3));
            Assert.That(o.Rounds, Is.EqualTo(10));
            Assert.That(o.PerturbationScale, Is.EqualTo(0.005));
            Assert.That((o.InitialTemperature, o.TemperatureDecay, o.TemperatureDecayPeriod), Is.EqualTo((1.5, 0.75, 5)));
            Assert.That(o.Validate(), Is.Empty);
        });
    }

    [Test]
    public void Constructor_Darts_UsesTheNb201DartsDefaults()
    {
        // ALGORITHMS.md §5(b): DARTS on NB201, SGD lr 0.025 → 0.001 cosine, wd 5e-4, Nesterov, batch 64, α Adam lr 3e-4, wd 1e-3.
        var o = new OneShotSearchOptions(OneShotMethod.Darts2);
        Assert.Multiple(() =>
        {
            Assert.That(o.WeightLearningRate, Is.EqualTo(0.025));
            Assert.That(o.WeightDecay, Is.EqualTo(5e-4));
            Assert.That(o.BatchSize, Is.EqualTo(64));
            Assert.That(o.ArchitectureLearningRate, Is.EqualTo(3e-4));
            Assert.That(o.HessianEpsilon, Is.EqualTo(0.01));
        });
    }

    [Test]
    public void Validate_BadValues_NameEachSettingAndValue()
    {
        var o = new OneShotSearchOptions(OneShotMethod.Gdas) { BatchSize = -1, TauMin = 2, TauMax = 1, MutationProbability = 1.5 };
        var errors = o.Validate();
        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Some.Contains("BatchSize > 0").And.Contains("-1"));
            Assert.That(errors, Has.Some.Contains("TauMin <= TauMax"));
            Assert.That(errors, Has.Some.Contains("MutationProbability").And.Contains("1.5"));
        });
    }
}
