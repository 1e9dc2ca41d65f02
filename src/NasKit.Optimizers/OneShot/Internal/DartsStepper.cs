using NasKit.Data;
using NasKit.Supernet.Nb201;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>
/// DARTS (ALGORITHMS.md §14.1): an architecture step on the architecture batch, then a weight step on the weight batch. First order
/// uses ∇_α L_val(w, α); second order the unrolled hypergradient ∇_α L_val(w′, α) − ξ·∇²_{α,w} L_train(w, α)·∇_{w′} L_val(w′, α) with
/// w′ = w − ξ(μ·m + ∇_w L_train + λ·w) and the Hessian-vector product by central differences at w ± ε·v, ε = 0.01/‖v‖.
/// With <see cref="OneShotSearchOptions.ConcurrentPasses"/>, the two gradients at w ± ε·v run side by side: w + ε·v on the supernet,
/// w − ε·v on a shadow copy kept for the purpose (its batch-norm running statistics are not merged back; the search normalises
/// with batch statistics).
/// </summary>
internal sealed class DartsStepper(SearchState state, bool secondOrder) : OneShotStepper(state)
{
    private Nb201Supernet? _shadow;
    private Parameter[] _shadowWeights = [];

    public override void Step(Batch weightBatch, Batch architectureBatch, int step)
    {
        if (secondOrder)
        {
            UnrolledArchitectureStep(weightBatch, architectureBatch);
        }
        else
        {
            FirstOrderArchitectureStep(State, architectureBatch);
        }

        State.WeightStep(weightBatch);
    }

    /// <summary>One Adam step of α along ∇_α L_val(w, α) (weights held constant).</summary>
    public static void FirstOrderArchitectureStep(SearchState state, Batch batch)
    {
        var alpha = state.Supernet.Alpha;
        state.ArchitectureOptimizer.ZeroGrad();
        using var logits = state.Supernet.Call(batch.Inputs);
        using var loss = Functional.CrossEntropy(logits, batch.Targets);
        state.CountArchitecture(logits, batch.Targets);
        var gradient = Autograd.Grad(loss, alpha);
        alpha.Grad = gradient;
        state.ArchitectureOptimizer.Step();
    }

    private void UnrolledArchitectureStep(Batch weightBatch, Batch architectureBatch)
    {
        var gradient = UnrolledGradient(weightBatch, architectureBatch);
        State.ArchitectureOptimizer.ZeroGrad();
        ParameterVectors.SetGradient(State.Supernet.Alpha, gradient);
        State.ArchitectureOptimizer.Step();
    }

    /// <summary>Computes DARTS-2nd's hypergradient of α for one pair of batches; the weights are left as they were.</summary>
    internal float[] UnrolledGradient(Batch weightBatch, Batch architectureBatch)
    {
        var net = State.Supernet;
        var weights = State.Weights;
        var o = State.Options;
        return UnrolledHypergradient.Compute(
            ParameterVectors.Snapshot(weights),
            MomentumBuffers(),
            State.LearningRate,
            o.WeightMomentum,
            o.WeightDecay,
            o.HessianEpsilon,
            () => WeightGradient(weightBatch),
            () =>
            {
                using var logits = net.Call(architectureBatch.Inputs);
                using var loss = Functional.CrossEntropy(logits, architectureBatch.Targets);
                State.CountArchitecture(logits, architectureBatch.Targets);
                var grads = Autograd.Grad([loss], [net.Alpha, .. weights], allowUnused: true);
                var direct = grads[0]!.ToArray();
                grads[0]!.Dispose();
                return (direct, ParameterVectors.ToArrays(grads, weights, offset: 1));
            },
            (plus, minus) => AlphaGradients(weightBatch, plus, minus),
            values => ParameterVectors.Load(weights, values));
    }

    public override void Dispose()
    {
        _shadow?.Dispose();
        _shadow = null;
        base.Dispose();
    }

    private (float[] Plus, float[] Minus) AlphaGradients(Batch batch, float[][] plus, float[][] minus)
    {
        var net = State.Supernet;
        if (!State.Options.ConcurrentPasses)
        {
            ParameterVectors.Load(State.Weights, plus);
            var p = AlphaGradient(net, batch);
            ParameterVectors.Load(State.Weights, minus);
            return (p, AlphaGradient(net, batch));
        }

        if (_shadow is null)
        {
            _shadow = (Nb201Supernet)net.Clone();
            _shadowWeights = _shadow.WeightParameters().ToArray();
        }

        var shadow = _shadow;
        using (Autograd.NoGrad())
        {
            shadow.Alpha.CopyFrom(net.Alpha);
        }

        shadow.MixingRule = net.MixingRule;
        ParameterVectors.Load(State.Weights, plus);
        ParameterVectors.Load(_shadowWeights, minus);
        float[] gradientPlus = [], gradientMinus = [];
        TensorEngine.RunConcurrently(() => gradientPlus = AlphaGradient(net, batch), () => gradientMinus = AlphaGradient(shadow, batch));
        return (gradientPlus, gradientMinus);
    }

    private float[][] WeightGradient(Batch batch)
    {
        using var logits = State.Supernet.Call(batch.Inputs);
        using var loss = Functional.CrossEntropy(logits, batch.Targets);
        return ParameterVectors.ToArrays(Autograd.Grad([loss], State.Weights, allowUnused: true), State.Weights);
    }

    private static float[] AlphaGradient(Nb201Supernet network, Batch batch)
    {
        using var logits = network.Call(batch.Inputs);
        using var loss = Functional.CrossEntropy(logits, batch.Targets);
        using var g = Autograd.Grad(loss, network.Alpha);
        return g.ToArray();
    }

    private float[]?[] MomentumBuffers()
    {
        var state = State.WeightOptimizer.StateDict();
        var buffers = new float[]?[State.Weights.Length];
        foreach (var (key, tensor) in state.Tensors)
        {
            var parts = key.Split('.');
            if (parts.Length == 3 && parts[0] == "state" && parts[2] == "momentum_buffer" && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                buffers[index] = tensor.ToArray();
            }

            tensor.Dispose();
        }

        return buffers;
    }
}
