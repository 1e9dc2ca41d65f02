namespace NasKit.Optimizers.OneShot;

/// <summary>Names the one-shot (weight-sharing) search methods of <see cref="OneShotSearch"/>.</summary>
public enum OneShotMethod
{
    /// <summary>DARTS, first order: the architecture gradient treats the weights as constant (softmax mixing).</summary>
    Darts,

    /// <summary>DARTS, second order: the unrolled hypergradient with a finite-difference Hessian-vector product (softmax mixing).</summary>
    Darts2,

    /// <summary>GDAS: one operation per edge sampled by hard Gumbel-softmax, straight-through gradient, τ annealed linearly.</summary>
    Gdas,

    /// <summary>SPOS: supernet training on uniformly sampled single paths, then an evolutionary search over subnets with inherited weights.</summary>
    Spos,

    /// <summary>ZO-DARTS: softmax mixing, zeroth-order hypergradient along a random unit direction every R weight steps.</summary>
    ZoDarts,

    /// <summary>ZO-DARTS+: ZO-DARTS with sparsemax(α/T) mixing and an annealed temperature, so that zero-weight operations are skipped.</summary>
    ZoDartsPlus,
}
