namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>
/// Compares the gradients autograd computes with central differences of the float32 forward pass.
/// </summary>
/// <remarks>
/// <para>The output is reduced to a scalar with a fixed, seeded random weighting w (random signs, magnitudes in [0.5, 1.5), so that a permuted, transposed or
/// mis-broadcast gradient changes the result); the analytic gradient is obtained by <c>Backward(w)</c> into the leaves'
/// <c>.Grad</c>, the numerical one as Σ w·(f(x + h) − f(x − h)) / 2h with h = eps·max(1, |x|), summed in double.</para>
/// <para>An element passes when |analytic − numeric| ≤ atol + rtol·|numeric|. With the defaults (eps = 1e-2, rtol = 2e-2,
/// atol = 2e-3) float32 round-off and O(h²) truncation stay an order of magnitude below the tolerance for the smooth,
/// O(1)-sized test problems used here, while a wrong factor of 2, a sign error, a transposed gradient or a missing term
/// exceeds it. Inputs must keep more than h away from kinks (relu at 0, max ties, clamp bounds); build them with
/// <see cref="TestData"/>.</para>
/// </remarks>
public static class GradientChecker
{
    /// <summary>The default relative step.</summary>
    public const double DefaultEps = 1e-2;

    /// <summary>The default relative tolerance.</summary>
    public const double DefaultRtol = 2e-2;

    /// <summary>The default absolute tolerance.</summary>
    public const double DefaultAtol = 2e-3;

    /// <summary>
    /// Asserts that the gradients of <paramref name="forward"/> with respect to every tensor in <paramref name="inputs"/>
    /// (leaves that require grad, read by <paramref name="forward"/> through its closure) match central differences.
    /// </summary>
    /// <param name="forward">Computes the output from the current values of the inputs.</param>
    /// <param name="inputs">The leaves to differentiate with respect to.</param>
    /// <param name="eps">The relative step.</param>
    /// <param name="rtol">The relative tolerance.</param>
    /// <param name="atol">The absolute tolerance.</param>
    /// <param name="requireSignal">Whether every input must have a numerical gradient well above <paramref name="atol"/> (guards against vacuous checks).</param>
    /// <param name="seed">The seed of the output weighting.</param>
    public static void Check(
        Func<Tensor> forward,
        IReadOnlyList<Tensor> inputs,
        double eps = DefaultEps,
        double rtol = DefaultRtol,
        double atol = DefaultAtol,
        bool requireSignal = true,
        int seed = 20240611)
    {
        var result = Evaluate(forward, inputs, eps, seed);
        var message = result.Describe(rtol, atol);
        Assert.That(result.Passes(rtol, atol), Is.True, message);
        if (requireSignal)
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var maxAbs = result.Numeric[i].Length == 0 ? 0 : result.Numeric[i].Max(Math.Abs);
                Assert.That(maxAbs, Is.GreaterThan(10 * atol), $"Input {i}: the numerical gradient is too small to check anything (max |g| = {maxAbs}).");
            }
        }
    }

    /// <summary>Computes the analytic and numerical gradients without asserting.</summary>
    /// <param name="forward">Computes the output from the current values of the inputs.</param>
    /// <param name="inputs">The leaves to differentiate with respect to.</param>
    /// <param name="eps">The relative step.</param>
    /// <param name="seed">The seed of the output weighting.</param>
    /// <returns>Both gradients, per input.</returns>
    public static GradientCheckResult Evaluate(Func<Tensor> forward, IReadOnlyList<Tensor> inputs, double eps = DefaultEps, int seed = 20240611)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var t in inputs)
        {
            ClearGrad(t);
        }

        // Analytic gradients through Backward(w).
        float[] weights;
        var analytic = new double[inputs.Count][];
        using (var scope = TensorScope.Begin())
        {
            var y = forward();
            weights = Weights(seed, y.NumberOfElements);
            var w = TestData.Create(weights, y.Shape);
            y.Backward(w);
            for (var i = 0; i < inputs.Count; i++)
            {
                analytic[i] = inputs[i].Grad is { } g ? g.ToArray().Select(v => (double)v).ToArray() : new double[inputs[i].NumberOfElements];
                ClearGrad(inputs[i]);
            }
        }

        // Central differences of the weighted sum, in double.
        var numeric = new double[inputs.Count][];
        using (Autograd.NoGrad())
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                var original = input.ToArray();
                var data = (float[])original.Clone();
                numeric[i] = new double[data.Length];
                for (var j = 0; j < data.Length; j++)
                {
                    var x = original[j];
                    var h = eps * Math.Max(1.0, Math.Abs(x));
                    var up = (float)(x + h);
                    var down = (float)(x - h);
                    data[j] = up;
                    input.CopyFrom(data);
                    var fUp = WeightedSum(forward, weights);
                    data[j] = down;
                    input.CopyFrom(data);
                    var fDown = WeightedSum(forward, weights);
                    data[j] = x;
                    numeric[i][j] = (fUp - fDown) / ((double)up - down);
                }

                input.CopyFrom(original);
            }
        }

        return new GradientCheckResult(analytic, numeric);
    }

    private static double WeightedSum(Func<Tensor> forward, float[] weights)
    {
        using var scope = TensorScope.Begin();
        var y = forward().ToArray();
        Assert.That(y, Has.Length.EqualTo(weights.Length), "The output changed size between evaluations.");
        double s = 0;
        for (var k = 0; k < y.Length; k++)
        {
            s += (double)weights[k] * y[k];
        }

        return s;
    }

    /// <summary>Draws weights with random signs and magnitudes in [0.5, 1.5), so no output is (nearly) ignored.</summary>
    private static float[] Weights(int seed, int count)
    {
        var magnitudes = TestData.Uniform(seed, count, 0.5f, 1.5f);
        var signs = TestData.Uniform(seed + 1, count);
        return magnitudes.Select((m, i) => signs[i] < 0 ? -m : m).ToArray();
    }

    private static void ClearGrad(Tensor t)
    {
        if (t.Grad is { } g)
        {
            g.Dispose();
            t.Grad = null;
        }
    }
}
