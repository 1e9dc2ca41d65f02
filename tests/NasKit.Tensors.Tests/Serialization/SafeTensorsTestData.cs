using System.Buffers.Binary;
using System.Text;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests.Serialization;

/// <summary>Builders for hand-crafted safetensors bytes, test streams and the small CNN shared by the serialization tests.</summary>
internal static class SafeTensorsTestData
{
    /// <summary>Builds a file: the 8-byte length of <paramref name="headerJson"/>, the header, then <paramref name="data"/>.</summary>
    public static byte[] Craft(string headerJson, byte[] data) => Craft(Encoding.UTF8.GetBytes(headerJson), data);

    /// <summary>Builds a file whose data region is <paramref name="dataLength"/> bytes of 0x00.</summary>
    public static byte[] Craft(string headerJson, int dataLength) => Craft(headerJson, new byte[dataLength]);

    public static byte[] Craft(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    /// <summary>Builds bytes whose length field declares <paramref name="declaredLength"/> whatever follows.</summary>
    public static byte[] WithDeclaredHeaderLength(ulong declaredLength, byte[] rest)
    {
        var bytes = new byte[8 + rest.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength);
        rest.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>Creates the CNN mirrored by <c>reference_cnn()</c> in safetensors_interop.py: [N, 3, 8, 8] to [N, 5].</summary>
    public static Sequential CreateCnn(long seed)
    {
        var generator = new Generator(seed);
        return new Sequential(
            new Conv2d(3, 4, 3, padding: 1, generator: generator),
            new BatchNorm2d(4),
            new ReLU(),
            new MaxPool2d(2),
            new Flatten(),
            new Linear(4 * 4 * 4, 5, generator: generator));
    }

    /// <summary>Runs <paramref name="steps"/> training-mode forward passes so batch-norm running statistics move away from 0 and 1.</summary>
    public static void WarmUpBatchNorm(Module<Tensor, Tensor> model, long seed, int steps)
    {
        var generator = new Generator(seed);
        model.Train();
        using (Autograd.NoGrad())
        {
            for (var i = 0; i < steps; i++)
            {
                using var scope = TensorScope.Begin();
                var x = Tensor.Randn([4, 3, 8, 8], generator).Mul(2f).Add(0.5f);
                _ = model.Call(x);
            }
        }

        model.Eval();
    }

    /// <summary>Copies the values of every state-dict entry, to compare a module before and after an operation.</summary>
    public static Dictionary<string, float[]> Snapshot(Module module)
    {
        var state = module.StateDict();
        var result = state.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        foreach (var t in state.Values)
        {
            t.Dispose();
        }

        return result;
    }

    /// <summary>Gets the bit patterns of float values, so that NaN, -0 and subnormals compare exactly.</summary>
    public static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
