namespace NasKit.Optimizers.Samplers;

/// <summary>
/// Chooses the value of one hyper-parameter of a trial as a function of its distribution, the study's history and a seeded generator
/// — nothing else — so that a study resumes from its store and several workers can share one (Optuna's independent sampling).
/// </summary>
/// <remarks>Same context (name, distribution, history, objectives) and a generator in the same state give the same value. The study seeds
/// the generator from its seed, the trial number and a stable hash of the parameter's name, and checks that the value returned lies in
/// the distribution.</remarks>
public interface IParameterSampler
{
    /// <summary>Gets the sampler's short name (for example <c>tpe</c>).</summary>
    string Name { get; }

    /// <summary>Chooses a value.</summary>
    /// <param name="context">The parameter, its distribution, the study's history and the random source.</param>
    /// <returns>The value in its internal representation: the number for integer and real parameters, the choice's index for categorical ones.</returns>
    double Sample(ParameterSamplingContext context);
}
