using System.Globalization;
using System.Text;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Latency;

/// <summary>Builds the stable text keys under which a <see cref="LatencyTable"/> stores the latency of one kind of layer call.</summary>
/// <remarks>
/// <para>A <b>layer signature</b> names a leaf module call (a module without children): the module's representation, which holds its
/// type and hyper-parameters, then <c>@</c> and the input shape with the batch first, dimensions joined by <c>x</c>, for example
/// <c>Conv2d(16, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)@1x16x32x32</c>. Two calls with the same signature
/// run the same kernels on the same sizes, so they take the same time on one machine. A module type that does not override its
/// extra representation shows only its type name, and all its configurations then share one key; give custom layers an extra
/// representation that lists every hyper-parameter that changes the work.</para>
/// <para>A <b>self-work signature</b> names the functional work that a module with children does itself, outside its children (the
/// sums of a cell, a residual addition): the type name, <c>:self</c>, the kernels it ran in brackets (name and output shape, with a
/// count when repeated, sorted), then the input shape, for example
/// <c>Nb201InferCell:self[Binary.Add:1x16x32x32*5]@1x16x32x32</c>. The kernel list keeps apart cells of one type that do different
/// amounts of work. Modules with children that do no work themselves (<see cref="Sequential"/>) have no self-work signature.</para>
/// </remarks>
public static class LayerSignature
{
    /// <summary>The text between a self-work signature's type name and its kernel list.</summary>
    public const string SelfMarker = ":self";

    /// <summary>Builds the signature of a call of a leaf module.</summary>
    /// <param name="module">The module (its representation supplies type and hyper-parameters).</param>
    /// <param name="inputShape">The call's input shape, batch first.</param>
    /// <returns>The signature.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> or <paramref name="inputShape"/> is null.</exception>
    /// <exception cref="ArgumentException">The module has children (use a self-work signature), or the shape is empty or not positive.</exception>
    public static string ForLeaf(Module module, IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (module.Children().Any())
        {
            throw new ArgumentException($"A leaf signature needs a module without children, but {module.GetType().Name} has {module.Children().Count()}.", nameof(module));
        }

        var text = module.ToString();
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            // A custom ToString over several lines would break the one-key-per-line text forms; keep the key on one line.
            text = text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace('\n', ' ');
        }

        return text + "@" + FormatShape(inputShape);
    }

    /// <summary>Builds the signature of the work a module with children does itself.</summary>
    /// <param name="module">The module.</param>
    /// <param name="inputShape">The call's input shape, batch first.</param>
    /// <param name="kernels">The forward kernels the call ran itself (outside its child modules), as recorded by an <see cref="ExecutionTracer"/>.</param>
    /// <returns>The signature.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is empty or not positive, or <paramref name="kernels"/> is empty.</exception>
    public static string ForSelfWork(Module module, IReadOnlyList<int> inputShape, IEnumerable<TracedKernel> kernels)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(kernels);
        var groups = kernels
            .GroupBy(k => k.Name + (k.OutputShape.Count > 0 ? ":" + FormatShape(k.OutputShape) : string.Empty), StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? g.Key : g.Key + "*" + g.Count().ToString(CultureInfo.InvariantCulture))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (groups.Count == 0)
        {
            throw new ArgumentException($"A self-work signature of {module.GetType().Name} needs at least one kernel, but got none.", nameof(kernels));
        }

        return module.GetType().Name + SelfMarker + "[" + string.Join(", ", groups) + "]@" + FormatShape(inputShape);
    }

    /// <summary>Formats a shape as signatures write it: dimensions joined by <c>x</c> (<c>1x16x32x32</c>).</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="shape"/> is null.</exception>
    /// <exception cref="ArgumentException">The shape is empty or has a non-positive dimension.</exception>
    public static string FormatShape(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count == 0 || shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"A signature shape must have at least one dimension and only positive sizes, but got [{string.Join(", ", shape)}].", nameof(shape));
        }

        var sb = new StringBuilder();
        for (var i = 0; i < shape.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('x');
            }

            sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
