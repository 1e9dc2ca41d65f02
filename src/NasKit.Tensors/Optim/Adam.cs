using NasKit.Tensors.NN;

namespace NasKit.Tensors.Optim;

/// <summary>
/// Represents Adam (Kingma and Ba), with L2 weight decay added to the gradient and optional AMSGrad, computed as PyTorch's
/// <c>torch.optim.Adam</c>: m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²; p = p − lr/(1 − β1ᵗ) · m / (√v/√(1 − β2ᵗ) + ε).
/// </summary>
public class Adam : Optimizer<AdamOptions>
{
    /// <summary>Initializes a new instance of the <see cref="Adam"/> class.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="options">The hyper-parameters; defaults when null.</param>
    public Adam(IEnumerable<Parameter> parameters, AdamOptions? options = null)
        : base(parameters, options ?? new AdamOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="Adam"/> class with parameter groups.</summary>
    /// <param name="groups">The groups.</param>
    public Adam(IEnumerable<ParameterGroup<AdamOptions>> groups)
        : base(groups)
    {
    }

    /// <summary>Gets whether weight decay is decoupled from the gradient (AdamW) rather than added to it (Adam).</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc />
    protected override void StepCore()
    {
        foreach (var group in ParameterGroups)
        {
            var o = group.Options;
            var lr = group.LearningRate;
            foreach (var p in group.Parameters)
            {
                var grad = p.Grad;
                if (grad is null)
                {
                    continue;
                }

                using var g = o.Maximize ? grad.Neg() : grad.Mul(1f);
                if (o.WeightDecay != 0)
                {
                    if (DecoupledWeightDecay)
                    {
                        p.MulInPlace((float)(1 - (lr * o.WeightDecay)));
                    }
                    else
                    {
                        g.AddInPlace(p, (float)o.WeightDecay);
                    }
                }

                var step = GetScalar(p, "step") + 1;
                SetScalar(p, "step", step);
                var m = GetState(p, "exp_avg") ?? Init(p, "exp_avg");
                var v = GetState(p, "exp_avg_sq") ?? Init(p, "exp_avg_sq");
                m.MulInPlace((float)o.Beta1).AddInPlace(g, (float)(1 - o.Beta1));
                v.MulInPlace((float)o.Beta2).AddcmulInPlace(g, g, (float)(1 - o.Beta2));

                var biasCorrection1 = 1 - Math.Pow(o.Beta1, step);
                var biasCorrection2 = 1 - Math.Pow(o.Beta2, step);
                var stepSize = lr / biasCorrection1;
                var second = v;
                if (o.AmsGrad)
                {
                    var max = GetState(p, "max_exp_avg_sq") ?? Init(p, "max_exp_avg_sq");
                    using var newMax = max.Maximum(v);
                    max.CopyFrom(newMax);
                    second = max;
                }

                using var denom = second.Sqrt();
                denom.MulInPlace((float)(1 / Math.Sqrt(biasCorrection2))).AddInPlace((float)o.Epsilon);
                p.AddcdivInPlace(m, denom, (float)-stepSize);
            }
        }
    }

    private Tensor Init(Parameter p, string name)
    {
        var t = Tensor.ZerosLike(p);
        SetState(p, name, t);
        return t;
    }
}
