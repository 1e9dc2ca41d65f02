using NasKit.Data;
using NasKit.Supernet.Mixing;
using NasKit.Tensors;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>SPOS supernet training: every step trains one uniformly sampled path (per edge one of the five operations); α is not
/// trained. The evolutionary search over subnets runs after the last epoch (<see cref="SposEvolution"/>).</summary>
internal sealed class SposStepper : OneShotStepper
{
    private readonly UniformSinglePathMixing _rule;

    public SposStepper(SearchState state, Generator generator)
        : base(state)
    {
        _rule = new UniformSinglePathMixing(generator);
        state.Supernet.MixingRule = _rule;
    }

    public override IReadOnlyList<Generator> Generators => [_rule.Generator];

    public override void Step(Batch weightBatch, Batch architectureBatch, int step) => State.WeightStep(weightBatch);
}
