using NasKit.Supernet.Mixing;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet;

/// <summary>
/// Represents one supernet edge holding every candidate operation: its output is Σ_o w_o · o(x) for the weights w of a
/// <see cref="MixingWeights"/>, computing only the operations whose weight is not exactly zero.
/// </summary>
/// <remarks>
/// <para>Sparse execution: an operation with weight exactly 0 is not called, so it costs nothing forward or backward. Operations marked
/// as zero operations (their output is identically 0, such as NAS-Bench-201's <c>none</c>) are never called either, since their term
/// and its gradient are 0 whatever the weight. When no operation runs, the output is the output of the first zero operation (so a strided zero operation
/// gives the reduced shape), or a zero tensor shaped like the input when there is none.</para>
/// <para>A weight that is exactly 1 and needs no gradient (single-path sampling) is not multiplied in.</para>
/// <para>The operations are registered under <c>ops.&lt;index&gt;</c>.</para>
/// </remarks>
public sealed class MixedOperation : Module
{
    private readonly ModuleList<Module<Tensor, Tensor>> _operations;
    private readonly bool[] _isZeroOperation;

    /// <summary>Initializes a new instance of the <see cref="MixedOperation"/> class.</summary>
    /// <param name="operations">The candidate operations, in the order of the mixing weights; each must keep the input's shape.</param>
    /// <param name="zeroOperations">For each operation, whether its output is identically zero; null means none is.</param>
    /// <exception cref="ArgumentNullException"><paramref name="operations"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentException">There are no operations, or <paramref name="zeroOperations"/> has a different count.</exception>
    public MixedOperation(IReadOnlyList<Module<Tensor, Tensor>> operations, IReadOnlyList<bool>? zeroOperations = null)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            throw new ArgumentException("A mixed operation needs at least one candidate operation, but got 0.", nameof(operations));
        }

        if (zeroOperations is not null && zeroOperations.Count != operations.Count)
        {
            throw new ArgumentException($"'{nameof(zeroOperations)}.Count == {nameof(operations)}.Count' must hold, but got {zeroOperations.Count} and {operations.Count}.", nameof(zeroOperations));
        }

        _operations = RegisterModule("ops", new ModuleList<Module<Tensor, Tensor>>());
        _isZeroOperation = new bool[operations.Count];
        for (var i = 0; i < operations.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(operations[i], nameof(operations));
            _operations.Add(operations[i]);
            _isZeroOperation[i] = zeroOperations?[i] ?? false;
        }
    }

    /// <summary>Gets the candidate operations.</summary>
    public IReadOnlyList<Module<Tensor, Tensor>> Operations => _operations;

    /// <summary>Computes the weighted sum of the operations whose weight is not exactly zero.</summary>
    /// <param name="input">The edge's input.</param>
    /// <param name="weights">The operation weights, one per operation.</param>
    /// <returns>The edge's output, shaped like the operations' outputs.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The weight count differs from the operation count.</exception>
    public Tensor Forward(Tensor input, MixingWeights weights)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != _operations.Count)
        {
            throw new ArgumentException($"The mixed operation has {_operations.Count} operations, but got {weights.Count} weights.", nameof(weights));
        }

        Tensor? sum = null;
        for (var i = 0; i < _operations.Count; i++)
        {
            if (_isZeroOperation[i] || weights.IsZero(i))
            {
                continue;
            }

            var output = _operations[i].Call(input);
            Tensor term;
            if (weights.Values[i] == 1f && !weights.Weights.RequiresGrad)
            {
                term = output;
            }
            else
            {
                using var w = weights.Weights.Select(0, i);
                term = output.Mul(w);
                output.Dispose();
            }

            if (sum is null)
            {
                sum = term;
            }
            else
            {
                var next = sum.Add(term);
                sum.Dispose();
                term.Dispose();
                sum = next;
            }
        }

        return sum ?? ZeroOutput(input);
    }

    /// <summary>The output when no operation runs: a zero operation's own output (it knows its stride), else zeros shaped like the input.</summary>
    private Tensor ZeroOutput(Tensor input)
    {
        for (var i = 0; i < _operations.Count; i++)
        {
            if (_isZeroOperation[i])
            {
                return _operations[i].Call(input);
            }
        }

        return Tensor.ZerosLike(input);
    }
}
