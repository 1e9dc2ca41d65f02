using NasKit.Supernet.Mixing;
using NasKit.Tensors;

namespace NasKit.Supernet.Tests.Mixing;

public sealed class SparsemaxTests
{
    // z = (0.9, 0.5, 0.45, -0.3, 0.1): k* = 3, tau = (1.85 - 1) / 3, p = (0.616667, 0.216667, 0.166667, 0, 0) (hand-computed, sort/threshold formula).
    private static readonly float[] s_z = [0.9f, 0.5f, 0.45f, -0.3f, 0.1f];

    [Test]
    public void Apply_PartialSupport_MatchesHandComputedValues()
    {
        using var z = Tensor.FromArray(s_z, 5);
        using var p = Sparsemax.Apply(z);
        var values = p.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(values, Is.EqualTo(new[] { 0.616667f, 0.216667f, 0.166667f, 0f, 0f }).Within(1e-5f));
            Assert.That(values[3], Is.EqualTo(0f), "outside the support the value must be exactly zero");
            Assert.That(values[4], Is.EqualTo(0f), "outside the support the value must be exactly zero");
        });
    }

    [Test]
    public void Apply_Backward_MatchesExactJacobianFormula()
    {
        // The exact sparsemax backward: g_hat_i = 1[i in S] * (g_i - mean_{j in S} g_j), here with S = {0, 1, 2}.
        float[] g = [0.3f, -1.2f, 0.7f, 2.0f, -0.4f];
        var meanS = (0.3f - 1.2f + 0.7f) / 3f;
        float[] expected = [0.3f - meanS, -1.2f - meanS, 0.7f - meanS, 0f, 0f];
        using var z = Tensor.FromArray(s_z, 5).WithRequiresGrad();
        using var p = Sparsemax.Apply(z);
        using var gradOut = Tensor.FromArray(g, 5);
        using var grad = Autograd.Grad(p, z, gradOut);
        Assert.That(grad.ToArray(), Is.EqualTo(expected).Within(1e-6f));
    }

    [Test]
    public void Apply_Backward_MatchesCentralDifferences()
    {
        const double eps = 1e-3;
        var z0 = s_z.Select(v => (double)v).ToArray();
        using var z = Tensor.FromArray(s_z, 5).WithRequiresGrad();
        using var p = Sparsemax.Apply(z);
        for (var j = 0; j < 5; j++)
        {
            var basis = new float[5];
            basis[j] = 1f;
            using var gradOut = Tensor.FromArray(basis, 5);
            using var row = Autograd.Grad(p, z, gradOut, retainGraph: true); // row j of the Jacobian: d p_j / d z_i
            var analytic = row.ToArray();
            for (var i = 0; i < 5; i++)
            {
                var plus = (double[])z0.Clone();
                var minus = (double[])z0.Clone();
                plus[i] += eps;
                minus[i] -= eps;
                var numeric = (Sparsemax.Compute(plus)[j] - Sparsemax.Compute(minus)[j]) / (2 * eps);
                Assert.That(analytic[i], Is.EqualTo(numeric).Within(1e-4), $"d p_{j} / d z_{i}");
            }
        }
    }

    [Test]
    public void Apply_EngineForward_MatchesDoubleReference()
    {
        var generator = new Generator(3);
        for (var trial = 0; trial < 20; trial++)
        {
            var z = new float[7];
            for (var i = 0; i < z.Length; i++)
            {
                z[i] = (float)(generator.NextNormal() * 1.5);
            }

            using var t = Tensor.FromArray(z, 7);
            using var p = Sparsemax.Apply(t);
            var expected = Sparsemax.Compute(z.Select(v => (double)v).ToArray());
            var actual = p.ToArray();
            Assert.Multiple(() =>
            {
                Assert.That(actual, Is.EqualTo(expected.Select(v => (float)v).ToArray()).Within(1e-5f));
                Assert.That(actual.Sum(), Is.EqualTo(1f).Within(1e-5f));
                for (var i = 0; i < z.Length; i++)
                {
                    Assert.That(actual[i] == 0f, Is.EqualTo(expected[i] == 0.0), $"exact-zero pattern at {i}, trial {trial}");
                }
            });
        }
    }

    [Test]
    public void Apply_Matrix_Throws()
    {
        using var z = Tensor.Zeros(2, 3);
        Assert.That(() => Sparsemax.Apply(z), Throws.ArgumentException.With.Message.Contains("[2, 3]"));
    }

    [Test]
    public void Compute_NonFinite_Throws()
    {
        Assert.That(() => Sparsemax.Compute([0.0, double.NaN]), Throws.ArgumentException.With.Message.Contains("entry 1"));
    }
}
