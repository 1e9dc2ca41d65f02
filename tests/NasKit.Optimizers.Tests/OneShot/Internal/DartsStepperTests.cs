using NasKit.Optimizers.OneShot;
using NasKit.Optimizers.OneShot.Internal;
using NasKit.Supernet.Mixing;
using NasKit.Supernet.Nb201;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Optimizers.Tests.OneShot.Internal;

public sealed class DartsStepperTests
{
    // The supernet's ReLUs make the unrolled loss only piecewise smooth, so finite differences over α are no oracle here (the exact
    // formula is tested on a smooth problem in UnrolledHypergradientTests). This checks the wiring: as ξ → 0 the unrolled
    // hypergradient tends to the first-order gradient ∇_α L_val(w, α), and at a large ξ it departs from it.
    [Test]
    public void UnrolledGradient_SmallAndLargeLearningRate_ApproachesAndLeavesTheFirstOrderGradient()
    {
        var data = OneShotTestData.Create(32, seed: 5);
        using var train = OneShotTestData.Batch(data, 0, 16);
        using var validation = OneShotTestData.Batch(data, 16, 16);
        using var supernet = new Nb201Supernet(OneShotTestData.Network, new SoftmaxMixing(), generator: new Generator(3));
        var generator = new Generator(11);
        var alpha = Enumerable.Range(0, 30).Select(_ => (float)(0.5 * generator.NextNormal())).ToArray();
        using (Autograd.NoGrad())
        {
            supernet.Alpha.CopyFrom(alpha);
        }

        var weightsBefore = supernet.WeightParameters().Select(p => p.ToArray()).ToArray();
        float[] firstOrder;
        using (var logits = supernet.Call(validation.Inputs))
        using (var loss = Functional.CrossEntropy(logits, validation.Targets))
        using (var g = Autograd.Grad(loss, supernet.Alpha))
        {
            firstOrder = g.ToArray();
        }

        var small = Gradient(supernet, 1e-5, train, validation);
        var large = Gradient(supernet, 0.5, train, validation);
        var scale = Norm(firstOrder);
        Assert.Multiple(() =>
        {
            Assert.That(Distance(small, firstOrder) / scale, Is.LessThan(0.01), "ξ = 1e-5");
            Assert.That(Distance(large, firstOrder) / scale, Is.GreaterThan(0.1), "ξ = 0.5");
            Assert.That(supernet.WeightParameters().Select(p => p.ToArray()), Is.EqualTo(weightsBefore), "weights restored");
        });
    }

    private static float[] Gradient(Nb201Supernet supernet, double learningRate, NasKit.Data.Batch train, NasKit.Data.Batch validation)
    {
        var options = new OneShotSearchOptions(OneShotMethod.Darts2) { Epochs = 1, WeightLearningRate = learningRate, WeightLearningRateMin = 0 };
        using var state = new SearchState(options, supernet);
        state.SetLearningRate(0);
        return new DartsStepper(state, secondOrder: true).UnrolledGradient(train, validation);
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Select((x, i) => ((double)x - b[i]) * ((double)x - b[i])).Sum());
}
