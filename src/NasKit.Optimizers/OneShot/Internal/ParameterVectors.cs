using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>Host-side copies of parameter lists, for the finite-difference steps of DARTS-2nd and ZO-DARTS.</summary>
internal static class ParameterVectors
{
    public static float[][] Snapshot(IReadOnlyList<Parameter> parameters)
    {
        var copies = new float[parameters.Count][];
        for (var i = 0; i < parameters.Count; i++)
        {
            copies[i] = parameters[i].ToArray();
        }

        return copies;
    }

    public static void Load(IReadOnlyList<Parameter> parameters, float[][] values)
    {
        using var noGrad = Autograd.NoGrad();
        for (var i = 0; i < parameters.Count; i++)
        {
            parameters[i].CopyFrom(values[i]);
        }
    }

    /// <summary>Copies gradients to host arrays; a null gradient (an input the loss does not depend on) becomes zeros. Disposes them.</summary>
    public static float[][] ToArrays(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Parameter> like, int offset = 0)
    {
        var arrays = new float[like.Count][];
        for (var i = 0; i < like.Count; i++)
        {
            var g = gradients[offset + i];
            arrays[i] = g is null ? new float[like[i].NumberOfElements] : g.ToArray();
            g?.Dispose();
        }

        return arrays;
    }

    public static double Norm(float[][] values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            foreach (var x in v)
            {
                sum += (double)x * x;
            }
        }

        return Math.Sqrt(sum);
    }

    public static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var x in values)
        {
            sum += (double)x * x;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Sets a parameter's gradient from host values (replacing what it held).</summary>
    public static void SetGradient(Parameter parameter, ReadOnlySpan<float> values)
    {
        var old = parameter.Grad;
        parameter.Grad = Tensor.FromArray(values, parameter.Shape);
        old?.Dispose();
    }
}
