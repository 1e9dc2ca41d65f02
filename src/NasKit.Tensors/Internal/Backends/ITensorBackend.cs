using NasKit.Tensors.Internal.Storage;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Internal.Backends;

/// <summary>
/// The seam between the device-agnostic tensor layer (shapes, broadcasting, autograd) and the kernels of one device.
/// Arguments arrive validated: shapes agree, indices are in range, destinations are allocated. Unless stated otherwise
/// inputs are contiguous and destinations are contiguous and do not overlap inputs.
/// </summary>
/// <remarks>
/// A CUDA backend implements this interface over device memory; nothing above NasKit.Tensors changes.
/// </remarks>
internal interface ITensorBackend
{
    Device Device { get; }

    // ---- memory -------------------------------------------------------------------------------------------

    TensorStorage Allocate(int length, bool zero);

    /// <summary>Copies host values into a contiguous destination.</summary>
    void CopyFromHost(ReadOnlySpan<float> source, Tensor destination);

    /// <summary>Copies a tensor of any strides into host memory in row-major order.</summary>
    void CopyToHost(Tensor source, Span<float> destination);

    /// <summary>Copies <paramref name="source"/>, read with <paramref name="sourceStrides"/> (zero strides broadcast), into <paramref name="destination"/> (any non-overlapping strides).</summary>
    void Copy(Tensor source, int[] sourceStrides, Tensor destination);

    /// <summary>Fills a tensor of any non-overlapping strides.</summary>
    void Fill(Tensor destination, float value);

    void FillUniform(Tensor destination, float low, float high, Generator generator);

    void FillNormal(Tensor destination, float mean, float std, Generator generator);

    /// <summary>Fills with <paramref name="scale"/> with probability <paramref name="keepProbability"/>, else 0.</summary>
    void FillBernoulli(Tensor destination, float keepProbability, float scale, Generator generator);

    // ---- element-wise -------------------------------------------------------------------------------------

    /// <summary>destination = op(x); destination may be x itself (in place).</summary>
    void Unary(UnaryOp op, Tensor x, Tensor destination, float alpha, float beta);

    /// <summary>destination = grad · op'(saved), where saved is the op's input (or output for Sigmoid, Tanh, Exp, Sqrt, Rsqrt, Reciprocal).</summary>
    void UnaryBackward(UnaryOp op, Tensor grad, Tensor saved, Tensor destination, float alpha, float beta);

    /// <summary>destination = a op b, with a and b read through strides broadcast to the destination's shape; destination may be a itself.</summary>
    void Binary(BinaryOp op, Tensor a, int[] aStrides, Tensor b, int[] bStrides, Tensor destination, float alpha);

    /// <summary>destination = condition != 0 ? a : b, all read through strides broadcast to the destination's shape.</summary>
    void Where(Tensor condition, int[] conditionStrides, Tensor a, int[] aStrides, Tensor b, int[] bStrides, Tensor destination);

    // ---- reductions ---------------------------------------------------------------------------------------

    /// <summary>Reduces the middle axis of x viewed as [outer, reduce, inner]; writes [outer, inner] values and, for Max/Min, indices.</summary>
    void Reduce(ReduceOp op, Tensor x, int outer, int reduce, int inner, Tensor destination, Tensor? indices, float alpha);

    /// <summary>Sum of all elements, accumulated in double precision.</summary>
    double SumAll(Tensor x);

    /// <summary>Σ a·b over two contiguous tensors of the same size, accumulated in double precision.</summary>
    double Dot(Tensor a, Tensor b);

    void Softmax(Tensor x, int outer, int dim, int inner, Tensor destination, bool log);

    void SoftmaxBackward(Tensor grad, Tensor output, int outer, int dim, int inner, Tensor destination, bool log);

    // ---- linear algebra -----------------------------------------------------------------------------------

    /// <summary>Batched GEMM over the storages of a, b and c with the layout in <paramref name="descriptor"/> (strided views allowed).</summary>
    void Gemm(in GemmDescriptor descriptor, Tensor a, Tensor b, Tensor c);

    // ---- convolution and pooling --------------------------------------------------------------------------

    void Conv2dForward(in Conv2dGeometry g, Tensor input, Tensor weight, Tensor? bias, Tensor output);

    /// <summary>
    /// Computes the input gradient (overwriting <paramref name="gradInput"/>). With <see cref="Conv2dGeometry.ReluInput"/> (the
    /// forward pass read max(input, 0)), <paramref name="input"/> is required and the gradient is kept only where it is positive.
    /// </summary>
    void Conv2dBackwardInput(in Conv2dGeometry g, Tensor gradOutput, Tensor weight, Tensor gradInput, Tensor? input = null);

    /// <summary>Computes the weight gradient (overwriting <paramref name="gradWeight"/>) and, when given, the bias gradient.</summary>
    void Conv2dBackwardWeight(in Conv2dGeometry g, Tensor gradOutput, Tensor input, Tensor gradWeight, Tensor? gradBias);

    /// <summary>Max pooling; writes the flat in-plane index of each maximum (NaN propagates) into <paramref name="indices"/> (exact integers in a float tensor of the output's shape).</summary>
    void MaxPool2dForward(in Pool2dGeometry g, Tensor input, Tensor output, Tensor indices);

    void MaxPool2dBackward(in Pool2dGeometry g, Tensor gradOutput, Tensor indices, Tensor gradInput);

    void AvgPool2dForward(in Pool2dGeometry g, Tensor input, Tensor output, bool countIncludePad, int divisorOverride);

    void AvgPool2dBackward(in Pool2dGeometry g, Tensor gradOutput, Tensor gradInput, bool countIncludePad, int divisorOverride);

    void AdaptiveAvgPool2dForward(int planes, int inH, int inW, int outH, int outW, Tensor input, Tensor output);

    void AdaptiveAvgPool2dBackward(int planes, int inH, int inW, int outH, int outW, Tensor gradOutput, Tensor gradInput);

    void AdaptiveMaxPool2dForward(int planes, int inH, int inW, int outH, int outW, Tensor input, Tensor output, Tensor indices);

    // ---- normalisation ------------------------------------------------------------------------------------

    /// <summary>
    /// Training-mode batch norm over x viewed as [n, c, plane]: batch statistics into mean/invStd ([c]), output written,
    /// running statistics (when given) updated with <paramref name="momentum"/> (unbiased variance). With <paramref name="relu"/>,
    /// the output is max(y, 0): a following ReLU applied in the same pass.
    /// </summary>
    void BatchNormTrainForward(int n, int c, int plane, Tensor x, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar,
        float momentum, float eps, Tensor output, Tensor mean, Tensor invStd, bool relu);

    /// <summary>
    /// One SGD step on a contiguous parameter, in one pass (PyTorch's rule): d = ±grad + weightDecay·param; with momentum, buffer =
    /// d on the first step (<see cref="SgdUpdateArguments.InitializeBuffer"/>), else momentum·buffer + (1 − dampening)·d, and
    /// d = d + momentum·buffer (Nesterov) or buffer; param −= learningRate·d. All tensors contiguous and of the parameter's shape.
    /// </summary>
    void SgdUpdate(Tensor parameter, Tensor grad, Tensor? momentumBuffer, in SgdUpdateArguments arguments);

    /// <summary>Batch norm with given statistics: y = (x - mean) * invStd * w + b, over [n, c, plane]; max(y, 0) with <paramref name="relu"/>.</summary>
    void BatchNormApply(int n, int c, int plane, Tensor x, Tensor mean, Tensor invStd, Tensor? weight, Tensor? bias, Tensor output, bool relu);

    /// <summary>
    /// Backward of batch norm. With <paramref name="batchStatistics"/>, includes the terms through mean and variance. With
    /// <paramref name="reluOutput"/> (the output of a fused ReLU), the incoming gradient first passes that ReLU: it counts only
    /// where the output is positive.
    /// </summary>
    void BatchNormBackward(int n, int c, int plane, Tensor gradOutput, Tensor x, Tensor mean, Tensor invStd, Tensor? weight,
        bool batchStatistics, Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor? reluOutput);

    /// <summary>Layer norm over x viewed as [outer, inner]; mean and invStd are [outer].</summary>
    void LayerNormForward(int outer, int inner, Tensor x, Tensor? weight, Tensor? bias, float eps, Tensor output, Tensor mean, Tensor invStd);

    void LayerNormBackward(int outer, int inner, Tensor gradOutput, Tensor x, Tensor mean, Tensor invStd, Tensor? weight,
        Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias);

    // ---- indexing and losses ------------------------------------------------------------------------------

    /// <summary>Gathers slices along the middle axis of [outer, dim, inner]: destination[o, i, :] = x[o, indices[i], :].</summary>
    void IndexSelect(Tensor x, int outer, int dim, int inner, int[] indices, Tensor destination);

    /// <summary>Scatter-adds slices: destination[o, indices[i], :] += source[o, i, :].</summary>
    void IndexAdd(Tensor destination, int outer, int dim, int inner, int[] indices, Tensor source);

    /// <summary>
    /// Negative log-likelihood over log-probabilities [n, c, inner] with targets [n, inner]; writes per-element losses
    /// (weighted, 0 where ignored) and returns the total weight of non-ignored targets.
    /// </summary>
    double NllLossForward(int n, int c, int inner, Tensor logProbs, int[] targets, Tensor? classWeights, int ignoreIndex, Tensor losses);

    /// <summary>gradInput[n, target, inner] = -weight · scale[n, inner] (all other entries 0).</summary>
    void NllLossBackward(int n, int c, int inner, int[] targets, Tensor? classWeights, int ignoreIndex, Tensor gradScale, Tensor gradInput);

    /// <summary>Pads x viewed as [planes, h, w] by (left, right, top, bottom); negative amounts crop.</summary>
    void Pad2d(PaddingMode mode, int planes, int h, int w, int left, int right, int top, int bottom, Tensor x, float value, Tensor destination);

    /// <summary>Adjoint of <see cref="Pad2d"/>: accumulates the padded gradient back onto the input positions it came from.</summary>
    void Pad2dBackward(PaddingMode mode, int planes, int h, int w, int left, int right, int top, int bottom, Tensor gradOutput, Tensor gradInput);
}
