using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>Gradient checks of every loss (Functional.Losses.cs).</summary>
public partial class FunctionalGradientTests
{
    private static readonly int[] s_targets = [0, 3, 4, 1];

    // ---- cross-entropy -------------------------------------------------------------------------------------

    [Test]
    public void CrossEntropy_IndexTargetsWithAllOptionCombinations_GradientsMatchNumerical(
        [Values] bool withWeight, [Values(0f, 0.1f)] float smoothing, [Values(Reduction.Mean, Reduction.Sum, Reduction.None)] Reduction reduction)
    {
        using var logits = TestData.Tensor(60, [4, 5], -2f, 2f, requiresGrad: true);
        using var weight = Tensor.FromArray([0.5f, 1f, 2f, 1.5f, 0.8f]);
        GradientChecker.Check(
            () => Functional.CrossEntropy(logits, s_targets, withWeight ? weight : null, reduction: reduction, labelSmoothing: smoothing),
            [logits]);
    }

    [Test]
    public void CrossEntropy_IgnoredTargets_GetNoGradientAndDoNotCountInTheMean(
        [Values] bool withWeight, [Values(0f, 0.2f)] float smoothing)
    {
        using var logits = TestData.Tensor(61, [4, 5], -2f, 2f, requiresGrad: true);
        using var weight = Tensor.FromArray([0.5f, 1f, 2f, 1.5f, 0.8f]);
        int[] defaultIgnored = [0, Functional.DefaultIgnoreIndex, 4, 1];
        int[] customIgnored = [2, 3, 2, 1];
        var w = withWeight ? weight : null;
        GradientChecker.Check(() => Functional.CrossEntropy(logits, defaultIgnored, w, labelSmoothing: smoothing), [logits]);
        GradientChecker.Check(() => Functional.CrossEntropy(logits, customIgnored, w, ignoreIndex: 2, labelSmoothing: smoothing), [logits]);

        using var loss = Functional.CrossEntropy(logits, customIgnored, w, ignoreIndex: 2, labelSmoothing: smoothing);
        loss.Backward();
        var grad = logits.Grad!.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(grad.Take(5), Is.All.EqualTo(0f), "row 0 is ignored");
            Assert.That(grad.Skip(10).Take(5), Is.All.EqualTo(0f), "row 2 is ignored");
        });
    }

    [Test]
    public void CrossEntropy_IgnoredTargets_MeanDividesByTheWeightOfKeptTargets()
    {
        // loss = Σ_kept w_t·(−log p_t) / Σ_kept w_t, as PyTorch's cross_entropy with weight and ignore_index.
        var values = TestData.Uniform(62, 12, -2f, 2f);
        using var logits = Tensor.FromArray(values, 3, 4);
        using var weight = Tensor.FromArray([1f, 2f, 3f, 4f]);
        using var loss = Functional.CrossEntropy(logits, [1, -100, 3], weight);
        double num = 0, den = 0;
        foreach (var (row, t) in new[] { (0, 1), (2, 3) })
        {
            var r = values.Skip(row * 4).Take(4).Select(v => (double)v).ToArray();
            var lse = Math.Log(r.Sum(Math.Exp));
            num += (t + 1) * (lse - r[t]);
            den += t + 1;
        }

        Assert.That(loss.Item(), Is.EqualTo(num / den).Within(1e-5));
    }

    [Test]
    public void CrossEntropy_ProbabilityTargets_GradientsMatchNumerical(
        [Values] bool withWeight, [Values(0f, 0.1f)] float smoothing, [Values(Reduction.Mean, Reduction.Sum, Reduction.None)] Reduction reduction)
    {
        using var logits = TestData.Tensor(63, [4, 5], -2f, 2f, requiresGrad: true);
        using var raw = TestData.Tensor(64, [4, 5], -2f, 2f);
        using var probs = raw.Softmax(1);
        using var weight = Tensor.FromArray([0.5f, 1f, 2f, 1.5f, 0.8f]);
        GradientChecker.Check(
            () => Functional.CrossEntropy(logits, probs, withWeight ? weight : null, reduction: reduction, labelSmoothing: smoothing),
            [logits]);
    }

    [Test]
    public void CrossEntropy_ImageShapedInput_GradientsMatchNumerical([Values] bool withWeight, [Values(0f, 0.1f)] float smoothing)
    {
        // [N, C, H, W] logits with [N, H, W] targets (flattened row-major), one ignored pixel.
        using var logits = TestData.Tensor(65, [2, 3, 2, 2], -2f, 2f, requiresGrad: true);
        using var weight = Tensor.FromArray([0.7f, 1.3f, 1f]);
        int[] targets = [0, 2, 1, 1, 2, Functional.DefaultIgnoreIndex, 0, 2];
        GradientChecker.Check(() => Functional.CrossEntropy(logits, targets, withWeight ? weight : null, labelSmoothing: smoothing), [logits]);
        GradientChecker.Check(() => Functional.CrossEntropy(logits, targets, reduction: Reduction.None), [logits]);
        using var perPixel = Functional.CrossEntropy(logits, targets, reduction: Reduction.None);
        Assert.That(perPixel.Shape, Is.EqualTo(new[] { 2, 2, 2 }));
    }

    [Test]
    public void CrossEntropy_UnbatchedAndTensorTargets_GradientsMatchNumerical()
    {
        using var logits = TestData.Tensor(66, [5], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => Functional.CrossEntropy(logits, [3], labelSmoothing: 0.1f), [logits]);
        using var batch = TestData.Tensor(67, [3, 4], -2f, 2f, requiresGrad: true);
        using var targets = Tensor.FromArray([3f, 0f, 1f]);
        GradientChecker.Check(() => Functional.CrossEntropy(batch, targets), [batch]);
    }

    [Test]
    public void CrossEntropy_InvalidTargets_ThrowWithValues()
    {
        using var logits = Tensor.Zeros(2, 3);
        Assert.Multiple(() =>
        {
            Assert.That(() => Functional.CrossEntropy(logits, [0, 3]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Target 3"));
            Assert.That(() => Functional.CrossEntropy(logits, [0]), Throws.ArgumentException.With.Message.Contains("[2, 3]"));
            Assert.That(() => Functional.CrossEntropy(logits, [0, 1], labelSmoothing: 1.5f), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Functional.CrossEntropy(logits, [0, 1], reduction: Reduction.BatchMean), Throws.ArgumentException.With.Message.Contains("BatchMean"));
        });
    }

    // ---- NLL -----------------------------------------------------------------------------------------------

    [Test]
    public void NllLoss_WeightsIgnoreAndReductions_GradientsMatchNumerical([Values] bool withWeight, [Values(Reduction.Mean, Reduction.Sum, Reduction.None)] Reduction reduction)
    {
        using var logp = TestData.Tensor(68, [4, 5], -3f, 0f, requiresGrad: true);
        using var weight = Tensor.FromArray([0.5f, 1f, 2f, 1.5f, 0.8f]);
        int[] targets = [0, Functional.DefaultIgnoreIndex, 4, 4];
        GradientChecker.Check(() => Functional.NllLoss(logp, targets, withWeight ? weight : null, reduction: reduction), [logp]);
    }

    [Test]
    public void NllLoss_SpatialInputAndTensorTargets_GradientsMatchNumerical()
    {
        using var logp = TestData.Tensor(69, [2, 3, 4], -3f, 0f, requiresGrad: true);
        using var targets = Tensor.FromArray([0f, 1f, 2f, 0f, 2f, 2f, 1f, 0f], 2, 4);
        GradientChecker.Check(() => Functional.NllLoss(logp, targets), [logp]);
        using var loss = Functional.NllLoss(logp, targets, reduction: Reduction.Sum);
        var lp = logp.ToArray();
        var t = targets.ToArray();
        var expected = -Enumerable.Range(0, 8).Sum(k => (double)lp[(k / 4 * 12) + ((int)t[k] * 4) + (k % 4)]);
        Assert.That(loss.Item(), Is.EqualTo(expected).Within(1e-5));
    }

    // ---- regression losses ---------------------------------------------------------------------------------

    [Test]
    public void MseLossL1Loss_EachReduction_GradientsWithRespectToInputAndTarget([Values(Reduction.Mean, Reduction.Sum, Reduction.None)] Reduction reduction)
    {
        // The target sits at least 0.3 away from the input so that |input − target| never crosses its kink.
        var inputValues = TestData.Uniform(70, 12, -2f, 2f);
        var offsets = TestData.AwayFrom(71, 12, -1.5f, 1.5f, [0f], 0.3f);
        using var input = Tensor.FromArray(inputValues, 3, 4).WithRequiresGrad();
        using var target = Tensor.FromArray(inputValues.Select((v, i) => v + offsets[i]).ToArray(), 3, 4).WithRequiresGrad();
        GradientChecker.Check(() => Functional.MseLoss(input, target, reduction), [input, target]);
        GradientChecker.Check(() => Functional.L1Loss(input, target, reduction), [input, target], atol: 1e-3);
    }

    [Test]
    public void RegressionLosses_ShapeMismatch_ThrowsWithShapes()
    {
        using var a = Tensor.Zeros(2, 3);
        using var b = Tensor.Zeros(3, 2);
        Assert.That(() => Functional.MseLoss(a, b), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[3, 2]"));
    }

    // ---- binary cross-entropy ------------------------------------------------------------------------------

    [Test]
    public void BinaryCrossEntropy_WeightsAndReductions_GradientsWithRespectToInputAndTarget([Values] bool withWeight, [Values(Reduction.Mean, Reduction.Sum, Reduction.None)] Reduction reduction)
    {
        using var p = TestData.Tensor(72, [3, 4], 0.1f, 0.9f, requiresGrad: true);
        using var t = TestData.Tensor(73, [3, 4], 0f, 1f, requiresGrad: true);
        using var w = TestData.Tensor(74, [4], 0.5f, 2f);
        GradientChecker.Check(() => Functional.BinaryCrossEntropy(p, t, withWeight ? w : null, reduction), [p, t]);
    }

    [Test]
    public void BinaryCrossEntropyWithLogits_WeightsPositiveWeightsAndReductions_GradientsMatchNumerical(
        [Values] bool withWeight, [Values] bool withPositiveWeight, [Values(Reduction.Mean, Reduction.Sum, Reduction.None)] Reduction reduction)
    {
        using var x = TestData.Tensor(75, [3, 4], -3f, 3f, requiresGrad: true);
        using var t = TestData.Tensor(76, [3, 4], 0f, 1f);
        using var w = TestData.Tensor(77, [3, 4], 0.5f, 2f);
        using var pw = Tensor.FromArray([0.5f, 1f, 2f, 3f]);
        GradientChecker.Check(
            () => Functional.BinaryCrossEntropyWithLogits(x, t, withWeight ? w : null, withPositiveWeight ? pw : null, reduction),
            [x]);
    }

    [Test]
    public void BinaryCrossEntropyWithLogits_ModerateLogits_MatchesBinaryCrossEntropyOfSigmoid()
    {
        using var x = TestData.Tensor(78, [2, 5], -3f, 3f);
        using var t = TestData.Tensor(79, [2, 5], 0f, 1f);
        using var p = x.Sigmoid();
        using var fromLogits = Functional.BinaryCrossEntropyWithLogits(x, t, reduction: Reduction.None);
        using var fromProbs = Functional.BinaryCrossEntropy(p, t, reduction: Reduction.None);
        TensorAssert.Close(fromLogits.ToArray(), fromProbs.ToArray(), 1e-4, 1e-5);
    }

    // ---- KL divergence -------------------------------------------------------------------------------------

    [Test]
    public void KlDiv_ProbabilityTargets_GradientsWithRespectToInputAndTarget(
        [Values(Reduction.Mean, Reduction.Sum, Reduction.None, Reduction.BatchMean)] Reduction reduction)
    {
        using var raw = TestData.Tensor(80, [3, 4], -2f, 2f);
        using var logq = TestData.Tensor(81, [3, 4], -3f, -0.2f, requiresGrad: true);
        using var p = raw.Softmax(1).Detach().WithRequiresGrad();
        GradientChecker.Check(() => Functional.KlDiv(logq, p, reduction), [logq, p], requireSignal: reduction != Reduction.Mean);
    }

    [Test]
    public void KlDiv_LogTargets_GradientsWithRespectToInputAndTarget(
        [Values(Reduction.Mean, Reduction.Sum, Reduction.None, Reduction.BatchMean)] Reduction reduction)
    {
        using var logq = TestData.Tensor(82, [3, 4], -3f, -0.2f, requiresGrad: true);
        using var logp = TestData.Tensor(83, [3, 4], -3f, -0.2f, requiresGrad: true);
        GradientChecker.Check(() => Functional.KlDiv(logq, logp, reduction, logTarget: true), [logq, logp], requireSignal: reduction != Reduction.Mean);
    }

    [Test]
    public void KlDiv_ZeroTargets_ContributeNothing()
    {
        // PyTorch 1.13: kl_div(input, target) is 0 where target == 0 (xlogy convention), and so is the input gradient.
        using var logq = TestData.Tensor(84, [2, 3], -3f, -0.2f, requiresGrad: true);
        using var p = Tensor.FromArray([0.5f, 0f, 0.5f, 0f, 1f, 0f], 2, 3);
        GradientChecker.Check(() => Functional.KlDiv(logq, p, Reduction.Sum), [logq]);
        using var loss = Functional.KlDiv(logq, p, Reduction.BatchMean);
        var q = logq.ToArray();
        var expected = ((0.5 * (Math.Log(0.5) - q[0])) + (0.5 * (Math.Log(0.5) - q[2])) + (1 * (0 - q[4]))) / 2;
        Assert.That(loss.Item(), Is.EqualTo(expected).Within(1e-5));
    }
}
