using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>Parity of <see cref="Functional.Linear"/> (2-D and 3-D inputs) and <see cref="Tensor.MatMul"/> (batched, broadcasting, vector operands) with PyTorch.</summary>
/// <remarks>
/// Oracle for every golden value in this class: NN/Fixtures/make_fixtures.py run with PyTorch 1.13 (CPU, float32, seeded);
/// the fixture files record the exact torch version.
/// </remarks>
public class LinearAlgebraPyTorchParityTests
{
    private static IEnumerable<TestCaseData> LinearCases() => FixtureLoader.Cases("misc.json", "linear");

    private static IEnumerable<TestCaseData> MatMulCases() => FixtureLoader.Cases("misc.json", "matmul");

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.linear(x, weight, bias).
    [TestCaseSource(nameof(LinearCases))]
    public void Linear_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x", "weight", "bias");
        var y = Functional.Linear(leaves["x"], leaves["weight"], leaves.GetValueOrDefault("bias"));
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.matmul(a, b).
    [TestCaseSource(nameof(MatMulCases))]
    public void MatMul_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("a", "b");
        var y = leaves["a"].MatMul(leaves["b"]);
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }
}
