using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>Parity of the losses of <see cref="Functional"/> with PyTorch: every reduction, class weights, ignored indices, label smoothing and probability targets.</summary>
/// <remarks>
/// Oracle for every golden value in this class: NN/Fixtures/make_fixtures.py run with PyTorch 1.13 (CPU, float32, seeded);
/// the fixture files record the exact torch version. Gradients are those of L = w·loss (a weighted sum for reduction none).
/// </remarks>
public class LossesPyTorchParityTests
{
    private static IEnumerable<TestCaseData> CrossEntropyCases() => FixtureLoader.Cases("losses.json", "cross_entropy");

    private static IEnumerable<TestCaseData> NllLossCases() => FixtureLoader.Cases("losses.json", "nll_loss");

    private static IEnumerable<TestCaseData> RegressionCases() => FixtureLoader.Cases("losses.json", "mse_loss", "l1_loss");

    private static IEnumerable<TestCaseData> BinaryCrossEntropyCases() => FixtureLoader.Cases("losses.json", "binary_cross_entropy");

    private static IEnumerable<TestCaseData> BinaryCrossEntropyWithLogitsCases() => FixtureLoader.Cases("losses.json", "binary_cross_entropy_with_logits");

    private static IEnumerable<TestCaseData> KlDivCases() => FixtureLoader.Cases("losses.json", "kl_div");

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.cross_entropy(x, target, weight, ignore_index, reduction, label_smoothing)
    // with class-index targets ([N] or [N, H, W]) and probability targets (same shape as x).
    [TestCaseSource(nameof(CrossEntropyCases))]
    public void CrossEntropy_PyTorchCase_MatchesLossAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var x = leaves["x"];
        var weight = c.Has("weight") ? c.Inputs["weight"].ToTensor() : null;
        var target = c.Inputs["target"];
        var reduction = ParseReduction(c.Text("reduction"));
        var smoothing = (float)c.Double("label_smoothing");
        var loss = target.Shape.SequenceEqual(x.Shape)
            ? Functional.CrossEntropy(x, target.ToTensor(), weight, c.Int("ignore_index"), reduction, smoothing)
            : Functional.CrossEntropy(x, target.ToIndices(), weight, c.Int("ignore_index"), reduction, smoothing);
        ParityAssert.Close(loss, c.Out, $"{c.Name}: loss");
        ParityAssert.Gradients(c, loss, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.nll_loss(log_softmax(z), target, weight, ignore_index, reduction).
    [TestCaseSource(nameof(NllLossCases))]
    public void NllLoss_PyTorchCase_MatchesLossAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var weight = c.Has("weight") ? c.Inputs["weight"].ToTensor() : null;
        var target = c.Inputs["target"].ToTensor();
        var loss = Functional.NllLoss(leaves["x"], target, weight, c.Int("ignore_index"), ParseReduction(c.Text("reduction")));
        ParityAssert.Close(loss, c.Out, $"{c.Name}: loss");
        ParityAssert.Gradients(c, loss, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.mse_loss / l1_loss(x, target, reduction); one element has x == target.
    [TestCaseSource(nameof(RegressionCases))]
    public void RegressionLoss_PyTorchCase_MatchesLossAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var target = c.Inputs["target"].ToTensor();
        var reduction = ParseReduction(c.Text("reduction"));
        var loss = c.Op == "mse_loss" ? Functional.MseLoss(leaves["x"], target, reduction) : Functional.L1Loss(leaves["x"], target, reduction);
        ParityAssert.Close(loss, c.Out, $"{c.Name}: loss");
        ParityAssert.Gradients(c, loss, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.binary_cross_entropy(x, target, weight, reduction), including
    // saturated probabilities 0 and 1 whose log terms PyTorch clamps at −100 and whose input gradient PyTorch keeps finite
    // ((x − t)/max(x(1 − x), 1e-12) = ±1e12). The weighted cases also check the gradient with respect to the target.
    [TestCaseSource(nameof(BinaryCrossEntropyCases))]
    public void BinaryCrossEntropy_PyTorchCase_MatchesLossAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x", "target");
        var weight = c.Has("weight") ? c.Inputs["weight"].ToTensor() : null;
        var loss = Functional.BinaryCrossEntropy(leaves["x"], leaves["target"], weight, ParseReduction(c.Text("reduction")));
        ParityAssert.Close(loss, c.Out, $"{c.Name}: loss");
        ParityAssert.Gradients(c, loss, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.binary_cross_entropy_with_logits(x, target, weight, pos_weight, reduction)
    // with logits exactly 0 and of magnitude 30 and 100.
    [TestCaseSource(nameof(BinaryCrossEntropyWithLogitsCases))]
    public void BinaryCrossEntropyWithLogits_PyTorchCase_MatchesLossAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var weight = c.Has("weight") ? c.Inputs["weight"].ToTensor() : null;
        var positiveWeight = c.Has("pos_weight") ? c.Inputs["pos_weight"].ToTensor() : null;
        var loss = Functional.BinaryCrossEntropyWithLogits(leaves["x"], c.Inputs["target"].ToTensor(), weight, positiveWeight, ParseReduction(c.Text("reduction")));
        ParityAssert.Close(loss, c.Out, $"{c.Name}: loss");
        ParityAssert.Gradients(c, loss, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.kl_div(x, target, reduction, log_target); probability targets
    // contain exact zeros.
    [TestCaseSource(nameof(KlDivCases))]
    public void KlDiv_PyTorchCase_MatchesLossAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var loss = Functional.KlDiv(leaves["x"], c.Inputs["target"].ToTensor(), ParseReduction(c.Text("reduction")), c.Bool("log_target"));
        ParityAssert.Close(loss, c.Out, $"{c.Name}: loss");
        ParityAssert.Gradients(c, loss, leaves);
    }

    private static Reduction ParseReduction(string text) => text switch
    {
        "mean" => Reduction.Mean,
        "sum" => Reduction.Sum,
        "none" => Reduction.None,
        "batchmean" => Reduction.BatchMean,
        _ => throw new InvalidDataException($"Unknown reduction '{text}' in a fixture."),
    };
}
