using NasKit.Tensors.Internal.Storage;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Internal.Backends;

/// <summary>
/// A decorator at the backend seam that records every kernel call of one thread (what it read, what it wrote, its arithmetic), for
/// <see cref="TensorEngine.StartTracing"/>. Calls from other threads are forwarded without recording.
/// </summary>
internal sealed class TracingBackend(ITensorBackend inner) : ITensorBackend
{
    private readonly ITensorBackend _inner = inner;
    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private readonly Lock _gate = new();
    private readonly List<TracedKernel> _calls = [];
    private readonly Dictionary<TensorStorage, long> _values = new(ReferenceEqualityComparer.Instance);
    private long _nextId;

    public Device Device => _inner.Device;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _calls.Count;
            }
        }
    }

    public IReadOnlyList<TracedKernel> Snapshot()
    {
        lock (_gate)
        {
            return _calls.ToArray();
        }
    }

    public long IdOf(Tensor tensor)
    {
        lock (_gate)
        {
            return Read(tensor.Storage);
        }
    }

    public TensorStorage Allocate(int length, bool zero) => _inner.Allocate(length, zero);

    public void CopyFromHost(ReadOnlySpan<float> source, Tensor destination)
    {
        _inner.CopyFromHost(source, destination);
        Record("CopyFromHost", KernelCategory.Memory, false, destination, 0, 0);
    }

    public void CopyToHost(Tensor source, Span<float> destination) => _inner.CopyToHost(source, destination);

    public void Copy(Tensor source, int[] sourceStrides, Tensor destination)
    {
        _inner.Copy(source, sourceStrides, destination);
        Record("Copy", KernelCategory.Memory, false, destination, 0, 0, source);
    }

    public void Fill(Tensor destination, float value)
    {
        _inner.Fill(destination, value);
        Record("Fill", KernelCategory.Memory, false, destination, 0, 0);
    }

    public void FillUniform(Tensor destination, float low, float high, Generator generator)
    {
        _inner.FillUniform(destination, low, high, generator);
        Record("FillUniform", KernelCategory.Memory, false, destination, 0, 0);
    }

    public void FillNormal(Tensor destination, float mean, float std, Generator generator)
    {
        _inner.FillNormal(destination, mean, std, generator);
        Record("FillNormal", KernelCategory.Memory, false, destination, 0, 0);
    }

    public void FillBernoulli(Tensor destination, float keepProbability, float scale, Generator generator)
    {
        _inner.FillBernoulli(destination, keepProbability, scale, generator);
        Record("FillBernoulli", KernelCategory.Memory, false, destination, 0, 0);
    }

    public void Unary(UnaryOp op, Tensor x, Tensor destination, float alpha, float beta)
    {
        _inner.Unary(op, x, destination, alpha, beta);
        Record("Unary." + op, IsActivation(op) ? KernelCategory.Activation : KernelCategory.Elementwise, false, destination, 0, destination.NumberOfElements, x);
    }

    public void UnaryBackward(UnaryOp op, Tensor grad, Tensor saved, Tensor destination, float alpha, float beta)
    {
        _inner.UnaryBackward(op, grad, saved, destination, alpha, beta);
        Record("UnaryBackward." + op, IsActivation(op) ? KernelCategory.Activation : KernelCategory.Elementwise, true, destination, 0, destination.NumberOfElements, grad, saved);
    }

    public void Binary(BinaryOp op, Tensor a, int[] aStrides, Tensor b, int[] bStrides, Tensor destination, float alpha)
    {
        _inner.Binary(op, a, aStrides, b, bStrides, destination, alpha);
        Record("Binary." + op, KernelCategory.Elementwise, false, destination, 0, destination.NumberOfElements, a, b);
    }

    public void Where(Tensor condition, int[] conditionStrides, Tensor a, int[] aStrides, Tensor b, int[] bStrides, Tensor destination)
    {
        _inner.Where(condition, conditionStrides, a, aStrides, b, bStrides, destination);
        Record("Where", KernelCategory.Elementwise, false, destination, 0, destination.NumberOfElements, condition, a, b);
    }

    public void Reduce(ReduceOp op, Tensor x, int outer, int reduce, int inner, Tensor destination, Tensor? indices, float alpha)
    {
        _inner.Reduce(op, x, outer, reduce, inner, destination, indices, alpha);
        Record("Reduce." + op, KernelCategory.Reduction, false, destination, 0, (long)outer * reduce * inner, x);
    }

    public double SumAll(Tensor x)
    {
        var result = _inner.SumAll(x);
        Record("SumAll", KernelCategory.Reduction, false, null, 0, x.NumberOfElements, x);
        return result;
    }

    public double Dot(Tensor a, Tensor b)
    {
        var result = _inner.Dot(a, b);
        Record("Dot", KernelCategory.MatrixMultiply, false, null, a.NumberOfElements, 0, a, b);
        return result;
    }

    public void Softmax(Tensor x, int outer, int dim, int inner, Tensor destination, bool log)
    {
        _inner.Softmax(x, outer, dim, inner, destination, log);
        Record(log ? "LogSoftmax" : "Softmax", KernelCategory.Reduction, false, destination, 0, destination.NumberOfElements, x);
    }

    public void SoftmaxBackward(Tensor grad, Tensor output, int outer, int dim, int inner, Tensor destination, bool log)
    {
        _inner.SoftmaxBackward(grad, output, outer, dim, inner, destination, log);
        Record(log ? "LogSoftmaxBackward" : "SoftmaxBackward", KernelCategory.Reduction, true, destination, 0, destination.NumberOfElements, grad, output);
    }

    public void Gemm(in GemmDescriptor descriptor, Tensor a, Tensor b, Tensor c)
    {
        // Read C before the call: with beta != 0 the product accumulates onto C's current value (a linear layer's bias).
        long accumulated = -1;
        if (descriptor.Beta != 0f && OnTraceThread)
        {
            lock (_gate)
            {
                accumulated = Read(c.Storage);
            }
        }

        _inner.Gemm(descriptor, a, b, c);
        long outputs = (long)descriptor.Batch * descriptor.M * descriptor.N;
        var macs = outputs * descriptor.K + (descriptor.Beta != 0f ? outputs : 0);
        Record("Gemm", KernelCategory.MatrixMultiply, false, c, macs, 0, accumulated, a, b);
    }

    public void Conv2dForward(in Conv2dGeometry g, Tensor input, Tensor weight, Tensor? bias, Tensor output)
    {
        _inner.Conv2dForward(g, input, weight, bias, output);
        var macs = g.Macs + (bias is null ? 0 : (long)g.Batch * g.OutChannels * g.OutPlane);
        Record("Conv2dForward", KernelCategory.Convolution, false, output, macs, 0, input, weight, bias);
    }

    public void Conv2dBackwardInput(in Conv2dGeometry g, Tensor gradOutput, Tensor weight, Tensor gradInput, Tensor? input = null)
    {
        _inner.Conv2dBackwardInput(g, gradOutput, weight, gradInput, input);
        Record("Conv2dBackwardInput", KernelCategory.Convolution, true, gradInput, g.Macs, 0, gradOutput, weight);
    }

    public void Conv2dBackwardWeight(in Conv2dGeometry g, Tensor gradOutput, Tensor input, Tensor gradWeight, Tensor? gradBias)
    {
        _inner.Conv2dBackwardWeight(g, gradOutput, input, gradWeight, gradBias);
        Record("Conv2dBackwardWeight", KernelCategory.Convolution, true, gradWeight, g.Macs, 0, gradOutput, input);
    }

    public void MaxPool2dForward(in Pool2dGeometry g, Tensor input, Tensor output, Tensor indices)
    {
        _inner.MaxPool2dForward(g, input, output, indices);
        Record("MaxPool2dForward", KernelCategory.Pooling, false, output, 0, output.NumberOfElements * (long)g.KernelH * g.KernelW, input);
    }

    public void MaxPool2dBackward(in Pool2dGeometry g, Tensor gradOutput, Tensor indices, Tensor gradInput)
    {
        _inner.MaxPool2dBackward(g, gradOutput, indices, gradInput);
        Record("MaxPool2dBackward", KernelCategory.Pooling, true, gradInput, 0, gradOutput.NumberOfElements, gradOutput, indices);
    }

    public void AvgPool2dForward(in Pool2dGeometry g, Tensor input, Tensor output, bool countIncludePad, int divisorOverride)
    {
        _inner.AvgPool2dForward(g, input, output, countIncludePad, divisorOverride);
        Record("AvgPool2dForward", KernelCategory.Pooling, false, output, 0, output.NumberOfElements * (long)g.KernelH * g.KernelW, input);
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, Tensor gradOutput, Tensor gradInput, bool countIncludePad, int divisorOverride)
    {
        _inner.AvgPool2dBackward(g, gradOutput, gradInput, countIncludePad, divisorOverride);
        Record("AvgPool2dBackward", KernelCategory.Pooling, true, gradInput, 0, gradOutput.NumberOfElements * (long)g.KernelH * g.KernelW, gradOutput);
    }

    public void AdaptiveAvgPool2dForward(int planes, int inH, int inW, int outH, int outW, Tensor input, Tensor output)
    {
        _inner.AdaptiveAvgPool2dForward(planes, inH, inW, outH, outW, input, output);
        Record("AdaptiveAvgPool2dForward", KernelCategory.Pooling, false, output, 0, input.NumberOfElements, input);
    }

    public void AdaptiveAvgPool2dBackward(int planes, int inH, int inW, int outH, int outW, Tensor gradOutput, Tensor gradInput)
    {
        _inner.AdaptiveAvgPool2dBackward(planes, inH, inW, outH, outW, gradOutput, gradInput);
        Record("AdaptiveAvgPool2dBackward", KernelCategory.Pooling, true, gradInput, 0, gradInput.NumberOfElements, gradOutput);
    }

    public void AdaptiveMaxPool2dForward(int planes, int inH, int inW, int outH, int outW, Tensor input, Tensor output, Tensor indices)
    {
        _inner.AdaptiveMaxPool2dForward(planes, inH, inW, outH, outW, input, output, indices);
        Record("AdaptiveMaxPool2dForward", KernelCategory.Pooling, false, output, 0, input.NumberOfElements, input);
    }

    public void BatchNormTrainForward(int n, int c, int plane, Tensor x, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar,
        float momentum, float eps, Tensor output, Tensor mean, Tensor invStd, bool relu)
    {
        _inner.BatchNormTrainForward(n, c, plane, x, weight, bias, runningMean, runningVar, momentum, eps, output, mean, invStd, relu);
        Record("BatchNormTrainForward", KernelCategory.Normalization, false, output, 0, output.NumberOfElements, x, weight, bias);
    }

    public void SgdUpdate(Tensor parameter, Tensor grad, Tensor? momentumBuffer, in SgdUpdateArguments arguments)
    {
        _inner.SgdUpdate(parameter, grad, momentumBuffer, arguments);
        Record("SgdUpdate", KernelCategory.Elementwise, false, parameter, 0, 4 * parameter.NumberOfElements, grad, momentumBuffer);
    }

    public void BatchNormApply(int n, int c, int plane, Tensor x, Tensor mean, Tensor invStd, Tensor? weight, Tensor? bias, Tensor output, bool relu)
    {
        _inner.BatchNormApply(n, c, plane, x, mean, invStd, weight, bias, output, relu);
        Record("BatchNormApply", KernelCategory.Normalization, false, output, 0, output.NumberOfElements, x, mean, invStd, weight, bias);
    }

    public void BatchNormBackward(int n, int c, int plane, Tensor gradOutput, Tensor x, Tensor mean, Tensor invStd, Tensor? weight,
        bool batchStatistics, Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor? reluOutput)
    {
        _inner.BatchNormBackward(n, c, plane, gradOutput, x, mean, invStd, weight, batchStatistics, gradInput, gradWeight, gradBias, reluOutput);
        Record("BatchNormBackward", KernelCategory.Normalization, true, gradInput, 0, x.NumberOfElements, gradOutput, x, mean, invStd, weight);
    }

    public void LayerNormForward(int outer, int inner, Tensor x, Tensor? weight, Tensor? bias, float eps, Tensor output, Tensor mean, Tensor invStd)
    {
        _inner.LayerNormForward(outer, inner, x, weight, bias, eps, output, mean, invStd);
        Record("LayerNormForward", KernelCategory.Normalization, false, output, 0, output.NumberOfElements, x, weight, bias);
    }

    public void LayerNormBackward(int outer, int inner, Tensor gradOutput, Tensor x, Tensor mean, Tensor invStd, Tensor? weight,
        Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias)
    {
        _inner.LayerNormBackward(outer, inner, gradOutput, x, mean, invStd, weight, gradInput, gradWeight, gradBias);
        Record("LayerNormBackward", KernelCategory.Normalization, true, gradInput, 0, x.NumberOfElements, gradOutput, x, mean, invStd, weight);
    }

    public void IndexSelect(Tensor x, int outer, int dim, int inner, int[] indices, Tensor destination)
    {
        _inner.IndexSelect(x, outer, dim, inner, indices, destination);
        Record("IndexSelect", KernelCategory.Memory, false, destination, 0, 0, x);
    }

    public void IndexAdd(Tensor destination, int outer, int dim, int inner, int[] indices, Tensor source)
    {
        _inner.IndexAdd(destination, outer, dim, inner, indices, source);
        Record("IndexAdd", KernelCategory.Elementwise, true, destination, 0, source.NumberOfElements, destination, source);
    }

    public double NllLossForward(int n, int c, int inner, Tensor logProbs, int[] targets, Tensor? classWeights, int ignoreIndex, Tensor losses)
    {
        var result = _inner.NllLossForward(n, c, inner, logProbs, targets, classWeights, ignoreIndex, losses);
        Record("NllLossForward", KernelCategory.Reduction, false, losses, 0, (long)n * inner, logProbs, classWeights);
        return result;
    }

    public void NllLossBackward(int n, int c, int inner, int[] targets, Tensor? classWeights, int ignoreIndex, Tensor gradScale, Tensor gradInput)
    {
        _inner.NllLossBackward(n, c, inner, targets, classWeights, ignoreIndex, gradScale, gradInput);
        Record("NllLossBackward", KernelCategory.Reduction, true, gradInput, 0, (long)n * inner, gradScale, classWeights);
    }

    public void Pad2d(PaddingMode mode, int planes, int h, int w, int left, int right, int top, int bottom, Tensor x, float value, Tensor destination)
    {
        _inner.Pad2d(mode, planes, h, w, left, right, top, bottom, x, value, destination);
        Record("Pad2d", KernelCategory.Memory, false, destination, 0, 0, x);
    }

    public void Pad2dBackward(PaddingMode mode, int planes, int h, int w, int left, int right, int top, int bottom, Tensor gradOutput, Tensor gradInput)
    {
        _inner.Pad2dBackward(mode, planes, h, w, left, right, top, bottom, gradOutput, gradInput);
        Record("Pad2dBackward", KernelCategory.Memory, true, gradInput, 0, 0, gradOutput);
    }

    private bool OnTraceThread => Environment.CurrentManagedThreadId == _threadId;

    private static bool IsActivation(UnaryOp op) => op is UnaryOp.Sigmoid or UnaryOp.Tanh or UnaryOp.Relu or UnaryOp.Relu6 or UnaryOp.LeakyRelu
        or UnaryOp.Elu or UnaryOp.Hardswish or UnaryOp.Hardsigmoid or UnaryOp.Silu or UnaryOp.Gelu or UnaryOp.GeluTanh or UnaryOp.Softplus;

    private void Record(string name, KernelCategory category, bool backward, Tensor? output, long macs, long otherOperations, params Tensor?[] inputs) =>
        Record(name, category, backward, output, macs, otherOperations, -1, inputs);

    private void Record(string name, KernelCategory category, bool backward, Tensor? output, long macs, long otherOperations, long extraInput, params Tensor?[] inputs)
    {
        if (!OnTraceThread)
        {
            return;
        }

        lock (_gate)
        {
            var ids = new List<long>(inputs.Length + 1);
            if (extraInput >= 0)
            {
                ids.Add(extraInput);
            }

            foreach (var input in inputs)
            {
                if (input is not null)
                {
                    ids.Add(Read(input.Storage));
                }
            }

            long outputId = -1;
            int[] shape = [];
            if (output is not null)
            {
                var storage = output.Storage;
                var inPlace = false;
                foreach (var input in inputs)
                {
                    inPlace |= input is not null && ReferenceEquals(input.Storage, storage);
                }

                if (inPlace)
                {
                    outputId = Read(storage);
                }
                else
                {
                    outputId = _nextId++;
                    _values[storage] = outputId;
                }

                shape = output.Shape;
            }

            _calls.Add(new TracedKernel(_calls.Count, name, category, backward, ids.Distinct().ToArray(), outputId, shape, macs, otherOperations));
        }
    }

    private long Read(TensorStorage storage)
    {
        if (!_values.TryGetValue(storage, out var id))
        {
            id = _nextId++;
            _values[storage] = id;
        }

        return id;
    }
}
