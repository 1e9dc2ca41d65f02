namespace NasKit.Tensors;

/// <summary>Describes one backend kernel call recorded by an <see cref="ExecutionTracer"/>.</summary>
/// <param name="Index">The call's position in the trace, from 0.</param>
/// <param name="Name">The kernel, for example <c>Conv2dForward</c> or <c>Unary.Relu</c>.</param>
/// <param name="Category">The kind of work the kernel does.</param>
/// <param name="IsBackward">Whether the kernel computes gradients.</param>
/// <param name="Inputs">The value identifiers the kernel read (see <see cref="ExecutionTracer.IdOf"/>).</param>
/// <param name="Output">The value identifier of the kernel's main result, or -1 when it returns a scalar to the caller.</param>
/// <param name="OutputShape">The shape of the main result (empty when <paramref name="Output"/> is -1).</param>
/// <param name="Macs">
/// The multiply-accumulates of convolutions and matrix products: <c>k_h·k_w·(C_in/groups)·C_out·H_out·W_out</c> per image plus
/// <c>C_out·H_out·W_out</c> for a bias; <c>M·N·K</c> per matrix product plus <c>M·N</c> when it accumulates onto an existing result
/// (a linear layer's bias). Zero for every other kernel.
/// </param>
/// <param name="OtherOperations">
/// The element operations of every other kernel: one per output element (activations, element-wise arithmetic, normalisation), one
/// per window element for pooling, one per input element for reductions; zero for pure data movement.
/// </param>
public sealed record TracedKernel(
    int Index,
    string Name,
    KernelCategory Category,
    bool IsBackward,
    IReadOnlyList<long> Inputs,
    long Output,
    IReadOnlyList<int> OutputShape,
    long Macs,
    long OtherOperations)
{
    /// <summary>Gets the number of elements of the main result.</summary>
    public long OutputElements
    {
        get
        {
            if (Output < 0)
            {
                return 0;
            }

            long n = 1;
            foreach (var d in OutputShape)
            {
                n *= d;
            }

            return n;
        }
    }
}
