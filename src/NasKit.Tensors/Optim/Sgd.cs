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
}
