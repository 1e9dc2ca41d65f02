namespace NasKit.Hardware;

/// <summary>Holds the costs of one network, counted by tracing a forward pass (see <see cref="CostCounter"/>).</summary>
/// <remarks>
/// <para><b>Counting convention</b> (NAS-Bench-201's, <c>get_model_infos</c>): <see cref="Macs"/> are the multiply-accumulates of
/// convolutions (<c>k_h·k_w·(C_in/groups)·C_out·H_out·W_out</c>, plus <c>C_out·H_out·W_out</c> for a bias) and matrix products
/// (<c>in·out</c>, plus <c>out</c> for a bias) of every layer that executes, whether or not its result reaches the output. Pooling,
/// normalisation, activations and element-wise arithmetic are not MACs; they are counted in <see cref="OtherOperations"/>.
/// <see cref="Parameters"/> counts every parameter element (not buffers such as batch-norm running statistics).</para>
/// <para><b>Memory</b>: an activation is a tensor computed from the input (values computed from parameters and buffers alone are
/// constants). <see cref="PeakActivationBytes"/> is the largest total of activations alive at once when the network runs one kernel
/// after another, an activation living from the kernel that writes it to the last kernel that reads it (the input and output
/// included; the network's output stays alive to the end) — what a microcontroller's RAM must hold for sequential inference.</para>
/// </remarks>
/// <param name="Parameters">The parameter elements.</param>
/// <param name="Buffers">The buffer elements (running statistics).</param>
/// <param name="Macs">The multiply-accumulates of one forward pass at the counting's batch size.</param>
/// <param name="OtherOperations">The element operations of pooling, normalisation, activations and element-wise arithmetic.</param>
/// <param name="InputBytes">The bytes of the input.</param>
/// <param name="ActivationBytes">The bytes of every activation the forward pass writes (each once; the input excluded).</param>
/// <param name="PeakActivationBytes">The peak bytes of live activations in sequential execution (input included).</param>
/// <param name="ModelBytesFloat32">The bytes to store parameters and buffers at 4 bytes per element.</param>
/// <param name="ModelBytesInt8">The bytes to store parameters and buffers at 1 byte per element (quantisation scales not included).</param>
/// <param name="BatchSize">The batch the counts are for.</param>
/// <param name="BytesPerElement">The bytes per activation element used for the memory figures.</param>
/// <param name="Layers">The module calls in execution order, each with the work it did itself.</param>
public sealed record ModelCost(
    long Parameters,
    long Buffers,
    long Macs,
    long OtherOperations,
    long InputBytes,
    long ActivationBytes,
    long PeakActivationBytes,
    long ModelBytesFloat32,
    long ModelBytesInt8,
    int BatchSize,
    int BytesPerElement,
    IReadOnlyList<LayerCost> Layers);
