using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Darts.Internal;

/// <summary>
/// One cell of the DARTS evaluation network: preprocesses the two previous cells' outputs to C channels, computes the four
/// intermediate nodes as sums of two operations, and concatenates them (4C channels).
/// </summary>
internal sealed class DartsEvalCell : Module
{
    private readonly Module<Tensor, Tensor> _preprocess0;
    private readonly ReluConvBn _preprocess1;
    private readonly ModuleList<Module<Tensor, Tensor>> _ops;
    private readonly int[] _inputs;
    private readonly bool[] _isIdentity;

    public DartsEvalCell(IReadOnlyList<DartsEdge> edges, int channelsPrevPrev, int channelsPrev, int channels, bool reduction, bool reductionPrev, Generator generator)
    {
        Channels = channels;
        Reduction = reduction;
        _preprocess0 = RegisterModule<Module<Tensor, Tensor>>(
            "preprocess0",
            reductionPrev ? new FactorizedReduce(channelsPrevPrev, channels, generator: generator) : new ReluConvBn(channelsPrevPrev, channels, 1, 1, 0, generator: generator));
        _preprocess1 = RegisterModule("preprocess1", new ReluConvBn(channelsPrev, channels, 1, 1, 0, generator: generator));
        _inputs = new int[edges.Count];
        _isIdentity = new bool[edges.Count];
        var ops = new List<Module<Tensor, Tensor>>(edges.Count);
        for (var k = 0; k < edges.Count; k++)
        {
            var stride = reduction && edges[k].Input < 2 ? 2 : 1;
            var op = DartsOperations.Create(edges[k].Operation, channels, stride, affine: true, generator);
            ops.Add(op);
            _inputs[k] = edges[k].Input;
            _isIdentity[k] = op is Identity;
        }

        _ops = RegisterModule("ops", new ModuleList<Module<Tensor, Tensor>>(ops));
    }

    public int Channels { get; }

    public bool Reduction { get; }

    /// <summary>Runs the cell.</summary>
    /// <param name="s0">The output of the cell two back.</param>
    /// <param name="s1">The output of the previous cell.</param>
    /// <param name="dropPathProbability">The drop-path probability (applied only in training, to non-identity operations).</param>
    /// <param name="generator">The random source of the drop-path masks.</param>
    /// <returns>The concatenation of the intermediate nodes.</returns>
    public Tensor Run(Tensor s0, Tensor s1, double dropPathProbability, Generator generator)
    {
        var dropPath = IsTraining && dropPathProbability > 0;
        var states = new List<Tensor>(2 + (_ops.Count / 2));
        try
        {
            states.Add(_preprocess0.Call(s0));
            states.Add(_preprocess1.Call(s1));
            for (var k = 0; k + 1 < _ops.Count; k += 2)
            {
                using var h1 = Apply(k, states, dropPath, dropPathProbability, generator);
                using var h2 = Apply(k + 1, states, dropPath, dropPathProbability, generator);
                states.Add(h1.Add(h2));
            }

            return Tensor.Cat(states.GetRange(2, states.Count - 2), 1);
        }
        finally
        {
            foreach (var s in states)
            {
                s.Dispose();
            }
        }
    }

    private Tensor Apply(int k, List<Tensor> states, bool dropPath, double probability, Generator generator)
    {
        var h = _ops[k].Call(states[_inputs[k]]);
        if (!dropPath || _isIdentity[k])
        {
            return h;
        }

        using (h)
        {
            return DropPath.Apply(h, probability, generator);
        }
    }
}
