namespace NasKit.Tensors.Serialization.Internal;

/// <summary>Maps between <see cref="SafeTensorsDType"/> values, their format codes and their element sizes.</summary>
internal static class SafeTensorsDTypes
{
    /// <summary>The format codes in the order the error messages list them.</summary>
    public const string SupportedCodes = "F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL";

    public static bool TryParse(string code, out SafeTensorsDType dtype)
    {
        // Ordinal, case-sensitive: the format defines upper-case codes only, and "f32" is not a valid file.
        switch (code)
        {
            case "F32": dtype = SafeTensorsDType.Float32; return true;
            case "F64": dtype = SafeTensorsDType.Float64; return true;
            case "F16": dtype = SafeTensorsDType.Float16; return true;
            case "BF16": dtype = SafeTensorsDType.BFloat16; return true;
            case "I64": dtype = SafeTensorsDType.Int64; return true;
            case "I32": dtype = SafeTensorsDType.Int32; return true;
            case "I16": dtype = SafeTensorsDType.Int16; return true;
            case "I8": dtype = SafeTensorsDType.Int8; return true;
            case "U8": dtype = SafeTensorsDType.UInt8; return true;
            case "BOOL": dtype = SafeTensorsDType.Bool; return true;
            default: dtype = default; return false;
        }
    }

    public static string Code(SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.Float32 => "F32",
        SafeTensorsDType.Float64 => "F64",
        SafeTensorsDType.Float16 => "F16",
        SafeTensorsDType.BFloat16 => "BF16",
        SafeTensorsDType.Int64 => "I64",
        SafeTensorsDType.Int32 => "I32",
        SafeTensorsDType.Int16 => "I16",
        SafeTensorsDType.Int8 => "I8",
        SafeTensorsDType.UInt8 => "U8",
        SafeTensorsDType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    public static int ElementSize(SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.Float64 or SafeTensorsDType.Int64 => 8,
        SafeTensorsDType.Float32 or SafeTensorsDType.Int32 => 4,
        SafeTensorsDType.Float16 or SafeTensorsDType.BFloat16 or SafeTensorsDType.Int16 => 2,
        SafeTensorsDType.Int8 or SafeTensorsDType.UInt8 or SafeTensorsDType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };
}
