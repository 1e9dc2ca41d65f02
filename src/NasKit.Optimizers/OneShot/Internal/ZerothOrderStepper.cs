using NasKit.Data;
using NasKit.Supernet.Mixing;
using NasKit.Supernet.Nb201;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>
/// ZO-DARTS and ZO-DARTS+ (ALGORITHMS.md §1): at the start of every round of R steps, draw a unit direction u, set μ = scale·‖α‖ and
/// make a perturbed copy of the supernet with α + μ·u and a fresh SGD optimizer; every step trains both on the same weight batch; at the
/// round's last step, estimate the hypergradient as (∇_α L_val·u + dᵀ∇_w L_val)·u with d = (w′ − w)/μ and take an Adam step on α.
/// ZO-DARTS+ mixes with sparsemax(α/T), T annealed by a factor every few epochs.
/// </summary>
internal sealed class ZerothOrderStepper : OneShotStepper
{
    private readonly Generator _directions;
    private readonly SparsemaxMixing? _sparsemax;
    private Nb201Supernet? _copy;
    private Parameter[] _copyWeights = [];
    private Sgd? _copyOptimizer;
    private float[] _direction = [];
    private double _mu;

    public ZerothOrderStepper(SearchState state, Generator directions, bool sparse)
        : base(state)
    {
        _directions = directions;
        if (sparse)
        {
            _sparsemax = new SparsemaxMixing(state.Options.InitialTemperature);
            state.Supernet.MixingRule = _sparsemax;
        }
        else
        {
            state.Supernet.MixingRule = new SoftmaxMixing();
        }
    }

    public override IReadOnlyList<Generator> Generators => [_directions];

    public override double? Temperature => _sparsemax?.Temperature;

    public override void BeginEpoch(int epoch)
    {
        if (_sparsemax is not null)
        {
            var o = State.Options;
            _sparsemax.Temperature = SparsemaxMixing.AnnealedTemperature(epoch, o.InitialTemperature, o.TemperatureDecay, o.TemperatureDecayPeriod);
        }
    }

    public override void Step(Batch weightBatch, Batch architectureBatch, int step)
    {
        var rounds = State.Options.Rounds;
        if (step % rounds == 0)
        {
            BeginRound();
        }

        var copy = _copy!;
        var copyWeights = _copyWeights;
        var copyOptimizer = _copyOptimizer!;
        copyOptimizer.Groups[0].LearningRate = State.LearningRate;
        var clip = State.Options.GradientClip;
        if (State.Options.ConcurrentPasses)
        {
            // The supernet and its perturbed copy share nothing but the (read-only) batch: one step on each engine thread.
            (double, int) main = default;
            TensorEngine.RunConcurrently(
                () => main = SearchState.WeightStep(State.Supernet, State.Weights, State.WeightOptimizer, weightBatch, clip),
                () => SearchState.WeightStep(copy, copyWeights, copyOptimizer, weightBatch, clip));
            State.RecordWeightStep(main, weightBatch.Count);
        }
        else
        {
            State.WeightStep(weightBatch);
            SearchState.WeightStep(copy, copyWeights, copyOptimizer, weightBatch, clip);
        }
        if ((step + 1) % rounds == 0)
        {
            ArchitectureStep(architectureBatch);
            EndRound();
        }
    }

    public override void EndEpoch() => EndRound();

    public override void Dispose()
    {
        EndRound();
        base.Dispose();
    }

    private void BeginRound()
    {
        EndRound();
        var alpha = State.Supernet.Alpha;
        var values = alpha.ToArray();
        _direction = new float[values.Length];
        for (var i = 0; i < _direction.Length; i++)
        {
            _direction[i] = (float)_directions.NextNormal();
        }

        var length = ParameterVectors.Norm(_direction);
        for (var i = 0; i < _direction.Length; i++)
        {
            _direction[i] = (float)(_direction[i] / length);
        }

        _mu = State.Options.PerturbationScale * ParameterVectors.Norm(values);
        _copy = (Nb201Supernet)State.Supernet.Clone();
        var perturbed = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            perturbed[i] = (float)(values[i] + (_mu * _direction[i]));
        }

        using (Autograd.NoGrad())
        {
            _copy.Alpha.CopyFrom(perturbed);
        }

        _copyWeights = _copy.WeightParameters().ToArray();
        _copyOptimizer = SearchState.CreateWeightOptimizer(State.Options, _copyWeights);
    }

    private void ArchitectureStep(Batch batch)
    {
        var net = State.Supernet;
        var alpha = net.Alpha;
        float[] directGradient;
        float[][] weightGradient;
        using (var logits = net.Call(batch.Inputs))
        using (var loss = Functional.CrossEntropy(logits, batch.Targets))
        {
            State.CountArchitecture(logits, batch.Targets);
            var grads = Autograd.Grad([loss], [alpha, .. State.Weights], allowUnused: true);
            directGradient = grads[0]!.ToArray();
            grads[0]!.Dispose();
            weightGradient = ParameterVectors.ToArrays(grads, State.Weights, offset: 1);
        }

        // ĝ = (∇_α L·u + dᵀ ∇_w L)·u, d = (w′ − w)/μ.
        double projection = 0;
        for (var i = 0; i < directGradient.Length; i++)
        {
            projection += (double)directGradient[i] * _direction[i];
        }

        if (_mu > 0)
        {
            for (var p = 0; p < State.Weights.Length; p++)
            {
                var w = State.Weights[p].ToArray();
                var wPerturbed = _copyWeights[p].ToArray();
                var g = weightGradient[p];
                double dot = 0;
                for (var j = 0; j < w.Length; j++)
                {
                    dot += ((double)wPerturbed[j] - w[j]) * g[j];
                }

                projection += dot / _mu;
            }
        }

        var estimate = new float[_direction.Length];
        for (var i = 0; i < estimate.Length; i++)
        {
            estimate[i] = (float)(projection * _direction[i]);
        }

        State.ArchitectureOptimizer.ZeroGrad();
        ParameterVectors.SetGradient(alpha, estimate);
        State.ArchitectureOptimizer.Step();
    }

    private void EndRound()
    {
        _copyOptimizer?.Dispose();
        _copyOptimizer = null;
        _copy?.Dispose();
        _copy = null;
        _copyWeights = [];
    }
}
