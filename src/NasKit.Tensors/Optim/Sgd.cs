using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Optim;

/// <summary>
/// Represents stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, computed
/// exactly as PyTorch's <c>torch.optim.SGD</c>: d = g + wd·p; b = μ·b + (1 − τ)·d (b = d on the first step); d = d + μ·b (Nesterov)
/// or d = b; p = p − lr·d.
/// </summary>
public sealed class Sgd : Optimizer<SgdOptions>
{
    private const string MomentumBuffer = "momentum_buffer";

    /// <summary>Initializes a new instance of the <see cref="Sgd"/> class.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="options">The hyper-parameters; defaults when null.</param>
    public Sgd(IEnumerable<Parameter> parameters, SgdOptions? options = null)
        : base(parameters, options ?? new SgdOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="Sgd"/> class with parameter groups.</summary>
    /// <param name="groups">The groups.</param>
    public Sgd(IEnumerable<ParameterGroup<SgdOptions>> groups)
        : base(groups)
    {
    }

    /// <inheritdoc />
    protected override void StepCore()
    {
        foreach (var group in ParameterGroups)
        {
            var o = group.Options;
            foreach (var p in group.Parameters)
            {
                var grad = p.Grad;
                if (grad is null)
                {
                    continue;
                }

                if (TryFusedStep(p, grad, o, (float)group.LearningRate))
                {
                    continue;
                }

                var d = o.Maximize ? grad.Neg() : grad.Mul(1f);
                if (o.WeightDecay != 0)
                {
                    d.AddInPlace(p, (float)o.WeightDecay);
                }

                if (o.Momentum != 0)
                {
                    var buffer = GetState(p, MomentumBuffer);
                    if (buffer is null)
                    {
                        buffer = d.Clone();
                        SetState(p, MomentumBuffer, buffer);
                    }
                    else
                    {
                        buffer.MulInPlace((float)o.Momentum).AddInPlace(d, (float)(1 - o.Dampening));
                    }

                    if (o.Nesterov)
                    {
                        d.AddInPlace(buffer, (float)o.Momentum);
                    }
                    else
                    {
                        d.Dispose();
                        d = buffer.Mul(1f);
                    }
                }

                p.AddInPlace(d, (float)-group.LearningRate);
                d.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs the step of one parameter as one fused kernel (no temporaries, one pass) when the parameter, its gradient and its
    /// momentum buffer are contiguous and of one shape; returns false to leave it to the tensor-operation path.
    /// </summary>
    private bool TryFusedStep(Parameter p, Tensor grad, SgdOptions o, float learningRate)
    {
        if (!p.IsContiguous || !grad.IsContiguous || grad.Device != p.Device || !grad.ShapeSpan.SequenceEqual(p.ShapeSpan))
        {
            return false;
        }

        Tensor? buffer = null;
        var initialize = false;
        if (o.Momentum != 0)
        {
            buffer = GetState(p, MomentumBuffer);
            if (buffer is null)
            {
                buffer = Tensor.Zeros(p.ShapeSpan);
                initialize = true;
            }
            else if (!buffer.IsContiguous || buffer.Device != p.Device || !buffer.ShapeSpan.SequenceEqual(p.ShapeSpan))
            {
                return false;
            }
        }

        var arguments = new SgdUpdateArguments(
            learningRate, (float)o.Momentum, (float)o.Dampening, (float)o.WeightDecay, o.Nesterov, o.Maximize, initialize);
        p.Backend.SgdUpdate(p, grad, buffer, arguments);
        p.BumpVersion();
        if (buffer is not null)
        {
            buffer.BumpVersion();
            if (initialize)
            {
                SetState(p, MomentumBuffer, buffer);
            }
        }

        return true;
    }
}
