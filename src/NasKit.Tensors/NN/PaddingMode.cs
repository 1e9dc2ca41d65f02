namespace NasKit.Tensors.NN;

/// <summary>Specifies how <see cref="Functional.Pad"/> fills the padded border.</summary>
public enum PaddingMode
{
    /// <summary>A constant value (0 by default).</summary>
    Constant = 0,

    /// <summary>Reflection of the input without repeating the edge: [a b c] padded by 2 on the left gives [c b a b c].</summary>
    Reflect = 1,

    /// <summary>Repetition of the edge value.</summary>
    Replicate = 2,

    /// <summary>Wrap-around from the opposite edge.</summary>
    Circular = 3,
}
