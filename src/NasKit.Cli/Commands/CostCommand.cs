using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NasKit.Hardware;
using NasKit.SearchSpace;

namespace NasKit.Cli.Commands;

/// <summary>
/// <c>naskit cost --space nb201|darts|mobilenetv3 --arch TEXT [--input CxHxW] [--classes N] [--batch N] [--bytes-per-element N]
/// [--layers] [--json]</c>: counts an architecture's parameters, MACs, activation bytes and peak activation bytes.
/// </summary>
internal static class CostCommand
{
    public static Command Create(TextWriter output)
    {
        var space = new Option<string>("--space") { Description = "The search space: " + string.Join(", ", SpaceCatalog.Names) + ".", Required = true };
        space.AcceptOnlyFromAmong([.. SpaceCatalog.Names]);
        var arch = new Option<string>("--arch") { Description = "The architecture in the space's text form (quote it).", Required = true };
        var input = new Option<string?>("--input") { Description = "The input shape CxHxW (default: 3x32x32 for nb201 and darts, 3xRxR for mobilenetv3 with R its resolution)." };
        var classes = new Option<int?>("--classes") { Description = "The number of classes (default: 10; 1000 for mobilenetv3)." };
        var batch = new Option<int>("--batch") { Description = "The batch the counts are for.", DefaultValueFactory = _ => 1 };
        var bytes = new Option<int>("--bytes-per-element") { Description = "Bytes per activation element for the memory figures (4 = float32, 1 = int8).", DefaultValueFactory = _ => 4 };
        var layers = new Option<bool>("--layers") { Description = "Also print the per-layer table." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: params, macs, activation_bytes, peak_activation_bytes and more." };
        var command = new Command("cost", "Count an architecture's parameters, MACs, activation bytes and peak activation memory (NAS-Bench-201's counting convention).")
        {
            space, arch, input, classes, batch, bytes, layers, json,
        };
        command.SetAction(parse =>
        {
            var spaceName = parse.GetRequiredValue(space);
            var text = parse.GetRequiredValue(arch);
            var request = new CostRequest(
                spaceName,
                text,
                ParseShape(parse.GetValue(input)),
                parse.GetValue(classes),
                parse.GetValue(batch),
                parse.GetValue(bytes));
            var (architecture, shape, cost) = Run(request);
            if (parse.GetValue(json))
            {
                WriteJson(output, spaceName, architecture, shape, cost);
            }
            else
            {
                WriteText(output, spaceName, architecture, shape, cost, parse.GetValue(layers));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static (Architecture Architecture, int[] Shape, ModelCost Cost) Run(CostRequest request)
    {
        if (request.Batch <= 0)
        {
            throw new CliInputException($"--batch must be positive, but got {request.Batch}.");
        }

        if (request.BytesPerElement is not (1 or 2 or 4 or 8))
        {
            throw new CliInputException($"--bytes-per-element must be 1, 2, 4 or 8, but got {request.BytesPerElement}.");
        }

        if (request.Classes is <= 0)
        {
            throw new CliInputException($"--classes must be positive, but got {request.Classes}.");
        }

        var (space, architecture, shape) = SpaceCatalog.Resolve(request.Space, request.Architecture, request.Input, request.Classes);
        var options = new CostCountingOptions { BatchSize = request.Batch, BytesPerElement = request.BytesPerElement };
        try
        {
            using var network = space.Build(architecture);
            return (architecture, shape, CostCounter.Count(network, shape, options));
        }
        catch (ArgumentException e)
        {
            throw new CliInputException($"the {request.Space} network of this architecture cannot run on input {FormatShape(shape)}: {Innermost(e)}");
        }
    }

    internal static int[]? ParseShape(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split('x', 'X', '×');
        var shape = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] <= 0)
            {
                throw new CliInputException($"--input must be CxHxW with positive integers (for example 3x32x32), but got '{text}'.");
            }
        }

        if (shape.Length != 3)
        {
            throw new CliInputException($"--input must have three sizes CxHxW (for example 3x32x32), but got {shape.Length} in '{text}'.");
        }

        return shape;
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    private static string FormatShape(IReadOnlyList<int> shape) => string.Join('x', shape);

    private static void WriteJson(TextWriter output, string space, Architecture architecture, int[] shape, ModelCost cost)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("params", cost.Parameters);
            w.WriteNumber("macs", cost.Macs);
            w.WriteNumber("activation_bytes", cost.ActivationBytes);
            w.WriteNumber("peak_activation_bytes", cost.PeakActivationBytes);
            w.WriteNumber("other_operations", cost.OtherOperations);
            w.WriteNumber("input_bytes", cost.InputBytes);
            w.WriteNumber("model_bytes_fp32", cost.ModelBytesFloat32);
            w.WriteNumber("model_bytes_int8", cost.ModelBytesInt8);
            w.WriteNumber("batch", cost.BatchSize);
            w.WriteNumber("bytes_per_element", cost.BytesPerElement);
            w.WriteString("space", space);
            w.WriteString("arch", architecture.ToString());
            w.WriteStartArray("input");
            foreach (var d in shape)
            {
                w.WriteNumberValue(d);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteText(TextWriter output, string space, Architecture architecture, int[] shape, ModelCost cost, bool layers)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"space                  {space}"));
        output.WriteLine(string.Create(c, $"architecture           {architecture}"));
        output.WriteLine(string.Create(c, $"input                  {FormatShape(shape)} (batch {cost.BatchSize})"));
        output.WriteLine(string.Create(c, $"parameters             {cost.Parameters:N0}"));
        output.WriteLine(string.Create(c, $"MACs                   {cost.Macs:N0}"));
        output.WriteLine(string.Create(c, $"other operations       {cost.OtherOperations:N0} (pooling, normalisation, activations, element-wise)"));
        output.WriteLine(string.Create(c, $"activation bytes       {cost.ActivationBytes:N0} ({cost.BytesPerElement} B/element)"));
        output.WriteLine(string.Create(c, $"peak activation bytes  {cost.PeakActivationBytes:N0}"));
        output.WriteLine(string.Create(c, $"model bytes            {cost.ModelBytesFloat32:N0} fp32, {cost.ModelBytesInt8:N0} int8"));
        if (!layers)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine(string.Create(c, $"{"layer",-40} {"type",-22} {"output",-16} {"params",10} {"MACs",14} {"other ops",12}"));
        foreach (var l in cost.Layers)
        {
            output.WriteLine(string.Create(c, $"{l.Name,-40} {l.ModuleType,-22} {FormatShape(l.OutputShape),-16} {l.Parameters,10:N0} {l.Macs,14:N0} {l.OtherOperations,12:N0}"));
        }
    }
}
