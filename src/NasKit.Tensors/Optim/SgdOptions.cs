using System.Globalization;

namespace NasKit.Tensors.Optim;

/// <summary>Represents the hyper-parameters of <see cref="Sgd"/>; defaults match PyTorch's <c>torch.optim.SGD</c> (with lr 0.01).</summary>
public sealed class SgdOptions : OptimizerOptions
{
    /// <summary>The default learning rate.</summary>
    public const double DefaultLearningRate = 0.01;

    /// <summary>Initializes a new instance of the <see cref="SgdOptions"/> class with the defaults.</summary>
    public SgdOptions() => LearningRate = DefaultLearningRate;

    /// <summary>Gets or sets the momentum factor.</summary>
    /// <value>The default value is 0 (plain SGD).</value>
    public double Momentum { get; set; }

    /// <summary>Gets or sets the dampening of the momentum.</summary>
    /// <value>The default value is 0.</value>
    public double Dampening { get; set; }

    /// <summary>Gets or sets whether to use Nesterov momentum (needs momentum &gt; 0 and dampening 0).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Nesterov { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(base.Validate());
        if (!(Momentum >= 0) || double.IsInfinity(Momentum))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'Momentum >= 0' must hold, but got Momentum={Momentum}."));
        }

        if (!(Dampening >= 0 && Dampening <= 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'0 <= Dampening <= 1' must hold, but got Dampening={Dampening}."));
        }

        if (Nesterov && (Momentum <= 0 || Dampening != 0))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Nesterov momentum needs 'Momentum > 0' and 'Dampening == 0', but got Momentum={Momentum}, Dampening={Dampening}."));
        }

        return errors;
    }
}
