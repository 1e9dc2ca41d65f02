using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors.NN;

public static partial class Functional
{
    /// <summary>Computes max(x, 0).</summary>
    /// <param name="x">The input.</param>
    /// <returns>The activation.</returns>
    public static Tensor Relu(Tensor x) => NotNull(x).Relu();

    /// <summary>Computes min(max(x, 0), 6).</summary>
    /// <param name="x">The input.</param>
    /// <returns>The activation.</returns>
    public static Tensor Relu6(Tensor x) => NotNull(x).UnaryWithGrad(UnaryOp.Relu6, "Relu6Backward", saveOutput: false);

    /// <summary>Computes x for x &gt; 0 and slope·x otherwise.</summary>
    /// <param name="x">The input.</param>
    /// <param name="negativeSlope">The slope for negative inputs.</param>
    /// <returns>The activation.</returns>
    public static Tensor LeakyRelu(Tensor x, float negativeSlope = 0.01f) =>
        NotNull(x).UnaryWithGrad(UnaryOp.LeakyRelu, "LeakyReluBackward", saveOutput: false, negativeSlope);

    /// <summary>Computes x for x &gt; 0 and alpha·(exp(x) − 1) otherwise.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">The scale of the negative part.</param>
    /// <returns>The activation.</returns>
    public static Tensor Elu(Tensor x, float alpha = 1f) => NotNull(x).UnaryWithGrad(UnaryOp.Elu, "EluBackward", saveOutput: false, alpha);

    /// <summary>Computes the logistic sigmoid.</summary>
    /// <param name="x">The input.</param>
    /// <returns>The activation.</returns>
    public static Tensor Sigmoid(Tensor x) => NotNull(x).Sigmoid();

    /// <summary>Computes tanh.</summary>
    /// <param name="x">The input.</param>
    /// <returns>The activation.</returns>
    public static Tensor Tanh(Tensor x) => NotNull(x).Tanh();

    /// <summary>Computes x·relu6(x + 3)/6 (MobileNetV3's h-swish).</summary>
    /// <param name="x">The input.</param>
    /// <returns>The activation.</returns>
    public static Tensor Hardswish(Tensor x) => NotNull(x).UnaryWithGrad(UnaryOp.Hardswish, "HardswishBackward", saveOutput: false);

    /// <summary>Computes relu6(x + 3)/6.</summary>
    /// <param name="x">The input.</param>
    /// <returns>The activation.</returns>
    public static Tensor Hardsigmoid(Tensor x) => NotNull(x).UnaryWithGrad(UnaryOp.Hardsigmoid, "HardsigmoidBackward", saveOutput: false);

    /// <summary>Computes x·sigmoid(x) (swish).</summary>
    /// <param name="x">The input.</param>
    /// <returns>The activation.</returns>
    public static Tensor Silu(Tensor x) => NotNull(x).UnaryWithGrad(UnaryOp.Silu, "SiluBackward", saveOutput: false);

    /// <summary>Computes GELU, exactly or with the tanh approximation.</summary>
    /// <param name="x">The input.</param>
    /// <param name="approximate">The form to compute.</param>
    /// <returns>The activation.</returns>
    public static Tensor Gelu(Tensor x, GeluApproximation approximate = GeluApproximation.None) =>
        approximate == GeluApproximation.Tanh
            ? NotNull(x).UnaryWithGrad(UnaryOp.GeluTanh, "GeluBackward", saveOutput: false)
            : NotNull(x).UnaryWithGrad(UnaryOp.Gelu, "GeluBackward", saveOutput: false);

    /// <summary>Computes log(1 + exp(beta·x))/beta, reverting to x where beta·x exceeds <paramref name="threshold"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="beta">The sharpness.</param>
    /// <param name="threshold">The linear-region threshold.</param>
    /// <returns>The activation.</returns>
    public static Tensor Softplus(Tensor x, float beta = 1f, float threshold = 20f) =>
        NotNull(x).UnaryWithGrad(UnaryOp.Softplus, "SoftplusBackward", saveOutput: false, beta, threshold);

    /// <summary>Computes softmax along <paramref name="dim"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="dim">The dimension.</param>
    /// <returns>The probabilities.</returns>
    public static Tensor Softmax(Tensor x, int dim) => NotNull(x).Softmax(dim);

    /// <summary>Computes log-softmax along <paramref name="dim"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="dim">The dimension.</param>
    /// <returns>The log-probabilities.</returns>
    public static Tensor LogSoftmax(Tensor x, int dim) => NotNull(x).LogSoftmax(dim);

    private static Tensor NotNull(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x;
    }
}
