using NasKit.Tensors.NN;

namespace NasKit.Tensors.Optim;

/// <summary>Represents a set of parameters that share hyper-parameters, seen independently of the optimizer type (for schedulers).</summary>
public interface IParameterGroup
{
    /// <summary>Gets the parameters.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Gets or sets the current learning rate.</summary>
    double LearningRate { get; set; }

    /// <summary>Gets the learning rate the group started with (schedulers compute from it).</summary>
    double InitialLearningRate { get; }
}
