using System.Globalization;
using System.Reflection;

namespace NasKit.Tensors.Benchmarks.Tests.TestSupport;

/// <summary>One combination of a benchmark class's <c>[Params]</c> values, as BenchmarkDotNet would set them before <c>[GlobalSetup]</c>.</summary>
public sealed class ParameterSet
{
    /// <summary>Creates a parameter set.</summary>
    /// <param name="values">The member and the value to assign, in declaration order.</param>
    public ParameterSet(IReadOnlyList<KeyValuePair<MemberInfo, object?>> values) => Values = values;

    /// <summary>Gets the members and their values.</summary>
    public IReadOnlyList<KeyValuePair<MemberInfo, object?>> Values { get; }

    /// <summary>Assigns every value to <paramref name="instance"/>.</summary>
    /// <param name="instance">The benchmark object.</param>
    public void ApplyTo(object instance)
    {
        foreach (var (member, value) in Values)
        {
            switch (member)
            {
                case PropertyInfo p:
                    p.SetValue(instance, value);
                    break;
                case FieldInfo f:
                    f.SetValue(instance, value);
                    break;
                default:
                    throw new InvalidOperationException($"[Params] member {member.Name} is neither a property nor a field.");
            }
        }
    }

    /// <summary>Returns the set as BenchmarkDotNet prints it, e.g. "Op=Relu, Size=4103".</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        Values.Count == 0 ? "(no params)" : string.Join(", ", Values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key.Name}={v.Value}")));
}
