using System.Globalization;

namespace NasKit.Tensors.Optim;

/// <summary>Represents the hyper-parameters every optimizer shares; each optimizer extends it with its own.</summary>
public abstract class OptimizerOptions
{
    /// <summary>Gets or sets the learning rate.</summary>
    /// <value>The default value depends on the optimizer.</value>
    public double LearningRate { get; set; }

    /// <summary>Gets or sets the weight decay (L2 penalty for SGD and Adam, decoupled decay for AdamW).</summary>
    /// <value>The default value depends on the optimizer.</value>
    public double WeightDecay { get; set; }

    /// <summary>Gets or sets whether to maximise the objective instead of minimising it.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Maximize { get; set; }

    /// <summary>Returns every rule these options break (empty when valid).</summary>
    /// <returns>The problems, each naming the option and its value.</returns>
    public virtual IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(LearningRate >= 0) || double.IsInfinity(LearningRate))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'LearningRate >= 0' must hold and be finite, but got LearningRate={LearningRate}."));
        }

        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'WeightDecay >= 0' must hold and be finite, but got WeightDecay={WeightDecay}."));
        }

        return errors;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid option.</summary>
    /// <exception cref="ArgumentException">At least one option is invalid.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {GetType().Name}: " + string.Join(" ", errors));
        }
    }

    /// <summary>Creates a copy, so that each parameter group owns its options.</summary>
    /// <returns>The copy.</returns>
    internal OptimizerOptions Copy() => (OptimizerOptions)MemberwiseClone();
}
