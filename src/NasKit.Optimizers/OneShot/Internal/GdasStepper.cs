using NasKit.Data;
using NasKit.Supernet.Mixing;
using NasKit.Tensors;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>
/// GDAS: every forward pass samples one operation per edge by hard Gumbel-softmax (straight-through gradient); a weight step on the
/// weight batch, then a first-order architecture step on the architecture batch; τ falls linearly from τ_max to τ_min over the epochs.
/// </summary>
internal sealed class GdasStepper : OneShotStepper
{
    private readonly GumbelSoftmaxMixing _rule;

    public GdasStepper(SearchState state, Generator generator)
        : base(state)
    {
        _rule = new GumbelSoftmaxMixing(generator, state.Options.TauMax);
        state.Supernet.MixingRule = _rule;
    }

    public override IReadOnlyList<Generator> Generators => [_rule.Generator];

    public override double? Temperature => _rule.Tau;

    public override void BeginEpoch(int epoch)
    {
        var o = State.Options;
        _rule.Tau = o.Epochs == 1 ? o.TauMax : o.TauMax - ((o.TauMax - o.TauMin) * epoch / (o.Epochs - 1));
    }

    public override void Step(Batch weightBatch, Batch architectureBatch, int step)
    {
        State.WeightStep(weightBatch);
        DartsStepper.FirstOrderArchitectureStep(State, architectureBatch);
    }
}
