using System.Globalization;

namespace NasKit.Tensors.Optim;

/// <summary>Represents the hyper-parameters of <see cref="Adam"/> and <see cref="AdamW"/>; defaults match PyTorch.</summary>
public sealed class AdamOptions : OptimizerOptions
{
    /// <summary>The default learning rate.</summary>
    public const double DefaultLearningRate = 1e-3;

    /// <summary>Initializes a new instance of the <see cref="AdamOptions"/> class with the defaults (weight decay 0).</summary>
    public AdamOptions() => LearningRate = DefaultLearningRate;

    /// <summary>Gets or sets the decay rate of the first-moment estimate.</summary>
    /// <value>The default value is 0.9.</value>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Gets or sets the decay rate of the second-moment estimate.</summary>
    /// <value>The default value is 0.999.</value>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Gets or sets the term added to the denominator for stability.</summary>
    /// <value>The default value is 1e-8.</value>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>Gets or sets whether to use the AMSGrad variant (maximum of past second moments).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AmsGrad { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(base.Validate());
        if (!(Beta1 >= 0 && Beta1 < 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'0 <= Beta1 < 1' must hold, but got Beta1={Beta1}."));
        }

        if (!(Beta2 >= 0 && Beta2 < 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'0 <= Beta2 < 1' must hold, but got Beta2={Beta2}."));
        }

        if (!(Epsilon >= 0))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'Epsilon >= 0' must hold, but got Epsilon={Epsilon}."));
        }

        return errors;
    }
}
