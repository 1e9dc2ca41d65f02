using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents a fully connected layer y = x·Wᵀ + b (PyTorch's <c>nn.Linear</c>).</summary>
/// <remarks>Parameters are initialised as PyTorch does: Kaiming-uniform with a = √5 for the weight and U(−1/√in, 1/√in) for the bias.</remarks>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Initializes a new instance of the <see cref="Linear"/> class.</summary>
    /// <param name="inFeatures">The input features.</param>
    /// <param name="outFeatures">The output features.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    /// <param name="generator">The generator for initialisation; <see cref="Generator.Default"/> when null.</param>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", new Parameter(Tensor.Empty(outFeatures, inFeatures)));
        Bias = RegisterParameter("bias", bias ? new Parameter(Tensor.Empty(outFeatures)) : null);
        ResetParameters(generator);
    }

    /// <summary>Gets the number of input features.</summary>
    public int InFeatures { get; }

    /// <summary>Gets the number of output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Gets the weight, [out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>Gets the bias, [out], or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is null ? "False" : "True")}");

    /// <summary>Re-initialises the parameters as PyTorch does.</summary>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    public void ResetParameters(Generator? generator = null)
    {
        if (InFeatures > 0)
        {
            Init.KaimingUniform(Weight, a: Math.Sqrt(5), generator: generator);
        }

        if (Bias is not null)
        {
            var bound = InFeatures > 0 ? 1.0 / Math.Sqrt(InFeatures) : 0;
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
