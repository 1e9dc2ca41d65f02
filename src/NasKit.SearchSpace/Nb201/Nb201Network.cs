using System.Globalization;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Nb201;

/// <summary>
/// Represents the network of a NAS-Bench-201 cell (the benchmark's <c>TinyNetwork</c>): stem Conv3×3 → BN; N cells at C channels;
/// a residual block to 2C; N cells; a residual block to 4C; N cells; head BN → ReLU → global average pool → Linear(4C, classes).
/// </summary>
/// <remarks>
/// <para>Every searched cell shares the one <see cref="Nb201Cell"/>. With the CIFAR-10 preset and the benchmark's worked example
/// <c>|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|</c> the network has
/// 1,073,466 parameters, as the benchmark reports.</para>
/// <para>State-dict names: <c>stem.conv</c>, <c>stem.bn</c>, <c>cells.&lt;k&gt;</c> (k = 0..3N+1, residual blocks at N and 2N+1, as in the
/// benchmark), <c>head.bn</c>, <c>classifier</c>. The forward pass maps [batch, InputChannels, InputSize, InputSize] to
/// [batch, Classes] logits; other sides that are multiples of 4 also work, since the head pools globally.</para>
/// </remarks>
public sealed class Nb201Network : Module<Tensor, Tensor>
{
    private readonly Sequential _stem;
    private readonly ModuleList<Module<Tensor, Tensor>> _cells;
    private readonly Sequential _head;
    private readonly Linear _classifier;

    /// <summary>Initializes a new instance of the <see cref="Nb201Network"/> class.</summary>
    /// <param name="cell">The cell shared by every searched position.</param>
    /// <param name="options">The skeleton settings; null uses <see cref="Nb201NetworkOptions.Cifar10"/>.</param>
    /// <param name="generator">The random source for weight initialisation; null uses a generator seeded with 0.</param>
    public Nb201Network(Nb201Cell cell, Nb201NetworkOptions? options = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        Cell = cell;
        Options = options ?? Nb201NetworkOptions.Cifar10;
        generator ??= new Generator(0);
        var c = Options.Channels;
        var n = Options.CellsPerStage;
        _stem = RegisterModule(
            "stem",
            new Sequential(
            [
                new KeyValuePair<string, Module<Tensor, Tensor>>("conv", new Conv2d(Options.InputChannels, c, 3, padding: 1, bias: false, generator: generator)),
                new KeyValuePair<string, Module<Tensor, Tensor>>("bn", new BatchNorm2d(c)),
            ]));
        _cells = RegisterModule("cells", new ModuleList<Module<Tensor, Tensor>>());
        var channels = c;
        for (var stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                _cells.Add(new Nb201ResidualBlock(channels, channels * 2, generator));
                channels *= 2;
            }

            for (var k = 0; k < n; k++)
            {
                _cells.Add(new Nb201InferCell(cell, channels, generator));
            }
        }

        _head = RegisterModule(
            "head",
            new Sequential(
            [
                new KeyValuePair<string, Module<Tensor, Tensor>>("bn", new BatchNorm2d(channels)),
                new KeyValuePair<string, Module<Tensor, Tensor>>("relu", new ReLU()),
                new KeyValuePair<string, Module<Tensor, Tensor>>("pool", new GlobalAvgPool2d()),
            ]));
        _classifier = RegisterModule("classifier", new Linear(channels, Options.Classes, generator: generator));
    }

    /// <summary>Gets the cell shared by every searched position.</summary>
    public Nb201Cell Cell { get; }

    /// <summary>Gets the skeleton settings.</summary>
    public Nb201NetworkOptions Options { get; }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"C={Options.Channels}, N={Options.CellsPerStage}, classes={Options.Classes}, cell={Cell}");

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Length != 4 || shape[1] != Options.InputChannels || shape[2] % Nb201NetworkOptions.InputSizeMultiple != 0 || shape[3] % Nb201NetworkOptions.InputSizeMultiple != 0 || shape[2] == 0 || shape[3] == 0)
        {
            throw new ArgumentException(
                $"The NAS-Bench-201 network expects input of shape [batch, {Options.InputChannels}, H, W] with H and W positive multiples of {Nb201NetworkOptions.InputSizeMultiple} (declared {Options.InputSize}x{Options.InputSize}), but got [{string.Join(", ", shape)}].",
                nameof(input));
        }

        var x = _stem.Call(input);
        foreach (var module in _cells)
        {
            var next = module.Call(x);
            x.Dispose();
            x = next;
        }

        using (x)
        {
            using var features = _head.Call(x);
            return _classifier.Call(features);
        }
    }
}
