namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>Shows that <see cref="GradientChecker"/> accepts correct gradients and rejects the usual kinds of wrong ones.</summary>
public class GradientCheckerTests
{
    private const double Rtol = GradientChecker.DefaultRtol;
    private const double Atol = GradientChecker.DefaultAtol;

    [Test]
    public void Evaluate_CorrectGradient_Passes()
    {
        using var x = TestData.Tensor(1, [3, 4], requiresGrad: true);
        var result = GradientChecker.Evaluate(() => x.Mul(x).Sin(), [x]);
        Assert.That(result.Passes(Rtol, Atol), Is.True, result.Describe(Rtol, Atol));
    }

    [Test]
    public void Evaluate_GradientScaledByTwo_Fails()
    {
        using var x = TestData.Tensor(2, [3, 4], requiresGrad: true);
        using var hook = x.RegisterHook(g => g.Mul(2f));
        var result = GradientChecker.Evaluate(() => x.Mul(x).Sin(), [x]);
        Assert.That(result.Passes(Rtol, Atol), Is.False);
    }

    [Test]
    public void Evaluate_GradientWithWrongSign_Fails()
    {
        using var x = TestData.Tensor(3, [5], requiresGrad: true);
        using var hook = x.RegisterHook(g => g.Neg());
        var result = GradientChecker.Evaluate(() => x.Exp(), [x]);
        Assert.That(result.Passes(Rtol, Atol), Is.False);
    }

    [Test]
    public void Evaluate_TransposedGradient_Fails()
    {
        using var x = TestData.Tensor(4, [4, 4], requiresGrad: true);
        using var a = TestData.Tensor(5, [4, 4]);
        using var hook = x.RegisterHook(g => g.Transpose(0, 1).Contiguous());
        var result = GradientChecker.Evaluate(() => x.MatMul(a), [x]);
        Assert.That(result.Passes(Rtol, Atol), Is.False);
    }

    [Test]
    public void Evaluate_MissingTerm_Fails()
    {
        // d/dx (x·sin x) = sin x + x·cos x; dropping the second term must be caught.
        using var x = TestData.Tensor(6, [6], 0.5f, 1.5f, requiresGrad: true);
        var result = GradientChecker.Evaluate(
            () =>
            {
                var s = x.Sin();
                if (s.RequiresGrad)
                {
                    s.RegisterHook(g => g.Mul(0f)); // cuts the path through sin: only sin x survives
                }

                return x.Mul(s);
            },
            [x]);
        Assert.That(result.Passes(Rtol, Atol), Is.False);
    }

    [Test]
    public void Evaluate_PermutedOutputGradient_IsDetectedThroughTheRandomWeighting()
    {
        // With a uniform weighting a gradient routed to the wrong element would go unnoticed for a sum; the random weights catch it.
        using var x = TestData.Tensor(7, [6], requiresGrad: true);
        using var hook = x.RegisterHook(g => g.IndexSelect(0, [5, 4, 3, 2, 1, 0]));
        var result = GradientChecker.Evaluate(() => x.Mul(3f), [x]);
        Assert.That(result.Passes(Rtol, Atol), Is.False);
    }
}
