using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents layer normalisation over the trailing dimensions (PyTorch's <c>nn.LayerNorm</c>).</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly int[] _normalizedShape;

    /// <summary>Initializes a new instance of the <see cref="LayerNorm"/> class.</summary>
    /// <param name="normalizedShape">The trailing shape to normalise over.</param>
    /// <param name="eps">Added to the variance for stability.</param>
    /// <param name="elementwiseAffine">Whether to learn an element-wise scale (and shift).</param>
    /// <param name="bias">Whether to learn the shift when <paramref name="elementwiseAffine"/>.</param>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"The normalised shape must be non-empty with positive sizes, but got [{string.Join(", ", normalizedShape)}].", nameof(normalizedShape));
        }

        _normalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        Weight = RegisterParameter("weight", elementwiseAffine ? new Parameter(Tensor.Ones(normalizedShape)) : null);
        Bias = RegisterParameter("bias", elementwiseAffine && bias ? new Parameter(Tensor.Zeros(normalizedShape)) : null);
    }

    /// <summary>Initializes a new instance of the <see cref="LayerNorm"/> class over the last dimension.</summary>
    /// <param name="normalizedSize">The size of the last dimension.</param>
    /// <param name="eps">Added to the variance for stability.</param>
    public LayerNorm(int normalizedSize, double eps = 1e-5)
        : this([normalizedSize], eps)
    {
    }

    /// <summary>Gets a copy of the normalised shape.</summary>
    public int[] NormalizedShape => (int[])_normalizedShape.Clone();

    /// <summary>Gets the value added to the variance.</summary>
    public double Eps { get; }

    /// <summary>Gets the element-wise scale, or null.</summary>
    public Parameter? Weight { get; }

    /// <summary>Gets the element-wise shift, or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"({string.Join(", ", _normalizedShape)},), eps={Eps:G}, elementwise_affine={(Weight is null ? "False" : "True")}");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.LayerNorm(input, _normalizedShape, Weight, Bias, (float)Eps);
}
