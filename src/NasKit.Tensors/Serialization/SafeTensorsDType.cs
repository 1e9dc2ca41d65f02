namespace NasKit.Tensors.Serialization;

/// <summary>Represents an element type that a safetensors file can declare and that <see cref="SafeTensors.Load(Stream)"/> reads.</summary>
/// <remarks>
/// Every type is converted to float32 on load, because NasKit tensors are float32. See <see cref="SafeTensors"/> for the exact
/// conversion rules. <see cref="SafeTensors.Save(Stream, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?)"/>
/// always writes <see cref="Float32"/>.
/// </remarks>
public enum SafeTensorsDType
{
    /// <summary>IEEE 754 binary32, format code <c>F32</c>; read exactly.</summary>
    Float32,

    /// <summary>IEEE 754 binary64, format code <c>F64</c>; rounded to the nearest float32 (values beyond its range become infinities).</summary>
    Float64,

    /// <summary>IEEE 754 binary16, format code <c>F16</c>; read exactly.</summary>
    Float16,

    /// <summary>bfloat16 (the upper 16 bits of a binary32), format code <c>BF16</c>; read exactly.</summary>
    BFloat16,

    /// <summary>Signed 64-bit integer, format code <c>I64</c>; exact up to 2^24 in magnitude, rounded to the nearest float32 beyond.</summary>
    Int64,

    /// <summary>Signed 32-bit integer, format code <c>I32</c>; exact up to 2^24 in magnitude, rounded to the nearest float32 beyond.</summary>
    Int32,

    /// <summary>Signed 16-bit integer, format code <c>I16</c>; read exactly.</summary>
    Int16,

    /// <summary>Signed 8-bit integer, format code <c>I8</c>; read exactly.</summary>
    Int8,

    /// <summary>Unsigned 8-bit integer, format code <c>U8</c>; read exactly.</summary>
    UInt8,

    /// <summary>Boolean stored as one byte (0 or 1), format code <c>BOOL</c>; read as 0 or 1, and any other byte is rejected.</summary>
    Bool,
}
