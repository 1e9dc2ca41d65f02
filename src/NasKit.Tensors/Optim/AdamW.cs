using NasKit.Tensors.NN;

namespace NasKit.Tensors.Optim;

/// <summary>
/// Represents AdamW (Loshchilov and Hutter): Adam with decoupled weight decay p = p·(1 − lr·wd) before the Adam update, as
/// PyTorch's <c>torch.optim.AdamW</c>, whose default weight decay is 0.01.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>The default weight decay of AdamW.</summary>
    public const double DefaultWeightDecay = 0.01;

    /// <summary>Initializes a new instance of the <see cref="AdamW"/> class.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="options">The hyper-parameters; when null, Adam's defaults with weight decay 0.01.</param>
    public AdamW(IEnumerable<Parameter> parameters, AdamOptions? options = null)
        : base(parameters, options ?? new AdamOptions { WeightDecay = DefaultWeightDecay })
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AdamW"/> class with parameter groups.</summary>
    /// <param name="groups">The groups.</param>
    public AdamW(IEnumerable<ParameterGroup<AdamOptions>> groups)
        : base(groups)
    {
    }

    /// <inheritdoc />
    protected override bool DecoupledWeightDecay => true;
}
