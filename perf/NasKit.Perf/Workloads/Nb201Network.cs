using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Perf.Workloads;

/// <summary>
/// The NAS-Bench-201 TinyNetwork of the peer (shared/perf/README.md): stem, 3 stages of N cells with two ResNet reduction blocks,
/// last BN+ReLU, global pooling and a linear classifier. <c>search: true</c> builds the DARTS supernet whose 15 search cells mix
/// every op of every edge with softmax(alpha), alpha [6, 5] shared by all cells.
/// </summary>
internal sealed class Nb201Network : Module<Tensor, Tensor>
{
    public const string Architecture = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    internal static readonly string[] Ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];

    private readonly Sequential _stem;
    private readonly List<Module<Tensor, Tensor>> _cells = [];
    private readonly List<SearchCell?> _searchCells = [];
    private readonly BatchNorm2d _lastBn;
    private readonly Linear _classifier;

    public Nb201Network(Generator generator, bool search = false, int channels = 16, int cellsPerStage = 5, int classes = 10)
    {
        _stem = RegisterModule("stem", new Sequential(new Conv2d(3, channels, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(channels)));
        var nodes = ParseArchitecture(Architecture);
        var cprev = channels;
        var index = 0;
        for (var stage = 0; stage < 3; stage++)
        {
            var c = channels << stage;
            if (stage > 0)
            {
                var block = RegisterModule($"cells{index++}", new ResNetBasicBlock(cprev, c, generator));
                _cells.Add(block);
                _searchCells.Add(null);
            }

            for (var i = 0; i < cellsPerStage; i++)
            {
                if (search)
                {
                    var cell = RegisterModule($"cells{index++}", new SearchCell(c, generator));
                    _cells.Add(cell);
                    _searchCells.Add(cell);
                }
                else
                {
                    _cells.Add(RegisterModule($"cells{index++}", new InferCell(nodes, c, generator)));
                    _searchCells.Add(null);
                }
            }

            cprev = c;
        }

        _lastBn = RegisterModule("lastact", new BatchNorm2d(cprev));
        _classifier = RegisterModule("classifier", new Linear(cprev, classes, generator: generator));
        Alpha = RegisterParameter("arch_parameters", search ? new Parameter(Tensor.Randn([6, Ops.Length], generator).Mul(1e-3f)) : null);
    }

    public Parameter? Alpha { get; }

    protected override Tensor Forward(Tensor input)
    {
        var weights = Alpha is null ? null : Functional.Softmax(Alpha, -1);
        var h = _stem.Call(input);
        for (var i = 0; i < _cells.Count; i++)
        {
            h = _searchCells[i] is { } cell ? cell.Forward(h, weights!) : _cells[i].Call(h);
        }

        h = Functional.Relu(_lastBn.Call(h));
        return _classifier.Call(Functional.GlobalAvgPool2d(h));
    }

    internal static List<List<(string Op, int Source)>> ParseArchitecture(string text) =>
        text.Split('+').Select(node => node.Split('|', StringSplitOptions.RemoveEmptyEntries)
            .Select(tok => tok.Split('~')).Select(p => (p[0], int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))).ToList()).ToList();

    internal static Module<Tensor, Tensor> MakeOp(string name, int c, Generator generator) => name switch
    {
        "none" => new Zero(),
        "skip_connect" => new Identity(),
        "nor_conv_1x1" => new ReluConvBn(c, c, 1, 1, 0, generator),
        "nor_conv_3x3" => new ReluConvBn(c, c, 3, 1, 1, generator),
        "avg_pool_3x3" => new AvgPool2d(3, 1, 1, countIncludePad: false),
        _ => throw new ArgumentException($"Unknown NB201 op '{name}'."),
    };

    /// <summary>ReLU → Conv(bias=False) → BN(affine, running stats); during inference the block is one convolution (BN folded into
    /// its weights, ReLU applied as it reads its input), as NasKit.SearchSpace's ReluConvBn does (ConvBatchNormFolding); in training
    /// the ReLU is applied as the convolution reads its input (Conv2d.CallWithInputRelu).</summary>
    internal sealed class ReluConvBn : Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv;
        private readonly BatchNorm2d _bn;
        private readonly ConvBatchNormFolding _folding;

        public ReluConvBn(int cin, int cout, int kernel, int stride, int padding, Generator generator)
        {
            _conv = RegisterModule("conv", new Conv2d(cin, cout, kernel, stride, padding, bias: false, generator: generator));
            _bn = RegisterModule("bn", new BatchNorm2d(cout));
            _folding = new ConvBatchNormFolding(_conv, _bn);
        }

        protected override Tensor Forward(Tensor input)
        {
            if (_folding.IsApplicable)
            {
                return _folding.Forward(input, reluInput: true);
            }

            using var c = _conv.CallWithInputRelu(input);
            return _bn.Call(c);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _folding.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The stride-2 reduction block: conv_b(conv_a(x)) + conv1x1(avgpool2(x)).</summary>
    private sealed class ResNetBasicBlock : Module<Tensor, Tensor>
    {
        private readonly ReluConvBn _a;
        private readonly ReluConvBn _b;
        private readonly AvgPool2d _pool = new(2, 2, 0);
        private readonly Conv2d _down;

        public ResNetBasicBlock(int cin, int cout, Generator generator)
        {
            _a = RegisterModule("conv_a", new ReluConvBn(cin, cout, 3, 2, 1, generator));
            _b = RegisterModule("conv_b", new ReluConvBn(cout, cout, 3, 1, 1, generator));
            _down = RegisterModule("downsample", new Conv2d(cin, cout, 1, bias: false, generator: generator));
        }

        protected override Tensor Forward(Tensor input) => _down.Call(_pool.Call(input)).Add(_b.Call(_a.Call(input)));
    }

    /// <summary>Fixed cell: node_j = Σ_{i&lt;j} op_{i→j}(node_i); output node 3.</summary>
    private sealed class InferCell : Module<Tensor, Tensor>
    {
        private readonly List<List<(Module<Tensor, Tensor> Op, int Source)>> _nodes = [];

        public InferCell(List<List<(string Op, int Source)>> nodes, int c, Generator generator)
        {
            var k = 0;
            foreach (var edges in nodes)
            {
                _nodes.Add(edges.Select(e => (RegisterModule($"layers{k++}", MakeOp(e.Op, c, generator)), e.Source)).ToList());
            }
        }

        protected override Tensor Forward(Tensor input)
        {
            var states = new List<Tensor> { input };
            foreach (var node in _nodes)
            {
                Tensor? acc = null;
                foreach (var (op, source) in node)
                {
                    var y = op.Call(states[source]);
                    acc = acc is null ? y : acc.Add(y);
                }

                states.Add(acc!);
            }

            return states[^1];
        }
    }

    /// <summary>DARTS search cell: edge(i←j) = Σ_k w[e, k]·op_k(node_j), 'none' skipped (it adds exactly zero).</summary>
    internal sealed class SearchCell : Module<Tensor, Tensor>
    {
        private readonly List<(Module<Tensor, Tensor>[] Ops, int Target, int Source)> _edges = [];

        public SearchCell(int c, Generator generator)
        {
            var e = 0;
            for (var i = 1; i < 4; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    var ops = Ops.Select((name, k) => RegisterModule($"edge{e}_{k}", MakeOp(name, c, generator))).ToArray();
                    _edges.Add((ops, i, j));
                    e++;
                }
            }
        }

        public Tensor Forward(Tensor input, Tensor weights)
        {
            var states = new List<Tensor> { input };
            var e = 0;
            for (var i = 1; i < 4; i++)
            {
                Tensor? node = null;
                for (var j = 0; j < i; j++)
                {
                    var (ops, _, _) = _edges[e];
                    Tensor? mixed = null;
                    for (var k = 1; k < ops.Length; k++)
                    {
                        using var w = weights[e, k];
                        var y = ops[k].Call(states[j]).Mul(w);
                        mixed = mixed is null ? y : mixed.Add(y);
                    }

                    node = node is null ? mixed : node.Add(mixed!);
                    e++;
                }

                states.Add(node!);
            }

            return states[^1];
        }

        protected override Tensor Forward(Tensor input) => throw new InvalidOperationException("A search cell needs the mixing weights.");
    }
}
