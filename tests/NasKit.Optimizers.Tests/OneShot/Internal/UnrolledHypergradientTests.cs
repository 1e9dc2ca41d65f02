using NasKit.Optimizers.OneShot.Internal;

namespace NasKit.Optimizers.Tests.OneShot.Internal;

public sealed class UnrolledHypergradientTests
{
    // A smooth bi-level problem with a closed-form unrolled hypergradient:
    //   L_train(w, α) = ½‖w − Aα‖²,  L_val(w, α) = ½‖w − b‖² + cᵀα,
    //   w′ = w − ξ(μm + (w − Aα) + λw),  dF/dα for F(α) = L_val(w′(α), α) is c + ξAᵀ(w′ − b).
    private static readonly double[,] s_a = { { 1.0, -0.5, 0.25 }, { 0.3, 2.0, -1.0 }, { -0.7, 0.4, 1.5 }, { 0.2, -0.1, 0.6 } };
    private static readonly double[] s_b = [0.5, -1.0, 0.25, 2.0];
    private static readonly double[] s_c = [0.1, -0.2, 0.3];

    [TestCase(0.0)]
    [TestCase(0.9)]
    public void Compute_QuadraticProblem_EqualsClosedFormHypergradient(double momentumFactor)
    {
        double[] alpha = [0.4, -0.3, 0.8];
        float[][] w0 = [[0.2f, -0.6f], [1.1f, 0.05f]];
        float[]?[] momentum = [[0.3f, -0.2f], null];
        const double xi = 0.4;
        const double lambda = 3e-4;
        var current = w0.Select(w => (float[])w.Clone()).ToArray();

        var estimate = UnrolledHypergradient.Compute(
            w0,
            momentum,
            xi,
            momentumFactor,
            lambda,
            epsilonScale: 0.01,
            trainWeightGradient: () => Split(Residual(Flatten(current), alpha)),
            validationGradients: () => (s_c.Select(x => (float)x).ToArray(), Split(Flatten(current).Select((w, i) => w - s_b[i]).ToArray())),
            trainAlphaGradients: (plus, minus) => (TrainAlphaGradient(Flatten(plus), alpha), TrainAlphaGradient(Flatten(minus), alpha)),
            load: values => current = values.Select(v => (float[])v.Clone()).ToArray());

        var w = Flatten(w0);
        var m = new double[] { 0.3, -0.2, 0, 0 };
        var r = Residual(w, alpha);
        var unrolled = w.Select((x, i) => x - (xi * ((momentumFactor * m[i]) + r[i] + (lambda * x)))).ToArray();
        var expected = new double[3];
        for (var k = 0; k < 3; k++)
        {
            expected[k] = s_c[k];
            for (var i = 0; i < 4; i++)
            {
                expected[k] += xi * s_a[i, k] * (unrolled[i] - s_b[i]);
            }
        }

        Assert.Multiple(() =>
        {
            for (var k = 0; k < 3; k++)
            {
                Assert.That(estimate[k], Is.EqualTo(expected[k]).Within(1e-4), $"α[{k}]");
            }

            Assert.That(Flatten(current), Is.EqualTo(w).Within(0), "the weights end as they started");
        });
    }

    private static double[] Flatten(float[][] w) => [.. w.SelectMany(x => x).Select(x => (double)x)];

    private static float[][] Split(double[] flat) => [[(float)flat[0], (float)flat[1]], [(float)flat[2], (float)flat[3]]];

    private static double[] Residual(double[] w, double[] alpha)
    {
        var r = new double[4];
        for (var i = 0; i < 4; i++)
        {
            r[i] = w[i];
            for (var k = 0; k < 3; k++)
            {
                r[i] -= s_a[i, k] * alpha[k];
            }
        }

        return r;
    }

    // ∇_α ½‖w − Aα‖² = −Aᵀ(w − Aα).
    private static float[] TrainAlphaGradient(double[] w, double[] alpha)
    {
        var r = Residual(w, alpha);
        var g = new float[3];
        for (var k = 0; k < 3; k++)
        {
            double sum = 0;
            for (var i = 0; i < 4; i++)
            {
                sum -= s_a[i, k] * r[i];
            }

            g[k] = (float)sum;
        }

        return g;
    }
}
