using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using BenchmarkDotNet.Attributes;

namespace NasKit.Tensors.Benchmarks.Tests.TestSupport;

/// <summary>
/// Runs BenchmarkDotNet benchmark classes the way BenchmarkDotNet would (params, <c>[GlobalSetup]</c>, each <c>[Benchmark]</c>,
/// <c>[GlobalCleanup]</c>), once per method instead of millions of times, and compares every result with the baseline's.
/// Everything is found by reflection, so a new benchmark method or <c>[Params]</c> value is covered without touching the tests.
/// </summary>
public static class BenchmarkHarness
{
    /// <summary>Relative part of the float32 tolerance (about 170 ulps), for sums whose order differs between kernel and loop.</summary>
    /// <remarks>
    /// Measured on the benchmarks as committed, the worst element of any benchmark reached about 2% of the old 1e-4/2e-5 tolerance
    /// (GEMM with K = 1024), so this one, five times tighter, still leaves a tenfold margin for other SIMD widths and thread counts
    /// while catching approximations such as the tanh GELU in place of the exact one (4.7e-4 apart near x = −2.7).
    /// </remarks>
    public const double RelativeTolerance = 2e-5;

    /// <summary>
    /// Absolute part of the tolerance, multiplied by max(1, max |expected|) of the compared part, so that elements which cancel to
    /// near zero (GEMM, gradients) are judged against the scale of their inputs rather than against themselves.
    /// </summary>
    public const double AbsoluteTolerance = 5e-6;

    private const int MaxReportedMismatches = 5;

    /// <summary>Finds the concrete classes of <paramref name="assembly"/> that declare <c>[Benchmark]</c> methods.</summary>
    /// <param name="assembly">The assembly to scan.</param>
    /// <returns>The classes, ordered by full name.</returns>
    public static IReadOnlyList<Type> FindBenchmarkClasses(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && BenchmarkMethods(t).Count > 0)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Gets the <c>[Benchmark]</c> methods of <paramref name="type"/>, inherited ones included, in declaration order.</summary>
    /// <param name="type">The benchmark class.</param>
    /// <returns>The methods.</returns>
    public static IReadOnlyList<MethodInfo> BenchmarkMethods(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
            .OrderBy(m => m.MetadataToken)
            .ToList();
    }

    /// <summary>Gets the methods marked <c>[Benchmark(Baseline = true)]</c>.</summary>
    /// <param name="type">The benchmark class.</param>
    /// <returns>The baseline methods (exactly one in a well-formed class).</returns>
    public static IReadOnlyList<MethodInfo> Baselines(Type type) =>
        BenchmarkMethods(type).Where(m => m.GetCustomAttribute<BenchmarkAttribute>()!.Baseline).ToList();

    /// <summary>Checks the rules every NasKit benchmark class follows (STYLE.md G21) without running anything.</summary>
    /// <param name="type">The benchmark class.</param>
    /// <returns>One message per broken rule; empty when the class is well-formed.</returns>
    public static IReadOnlyList<string> StructuralProblems(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var problems = new List<string>();
        var methods = BenchmarkMethods(type);
        var baselines = Baselines(type);
        if (baselines.Count != 1)
        {
            problems.Add($"{type.Name} must have exactly one [Benchmark(Baseline = true)] method, but has {baselines.Count}" +
                (baselines.Count == 0 ? "." : $": {string.Join(", ", baselines.Select(m => m.Name))}."));
        }

        if (methods.Count - baselines.Count < 1)
        {
            problems.Add($"{type.Name} must have at least one benchmark besides the baseline, but has {methods.Count - baselines.Count}.");
        }

        foreach (var m in methods)
        {
            if (m.GetParameters().Length != 0 || m.ContainsGenericParameters)
            {
                problems.Add($"{type.Name}.{m.Name} must be parameterless and non-generic, but has {m.GetParameters().Length} parameter(s).");
            }

            if (m.ReturnType == typeof(void))
            {
                problems.Add($"{type.Name}.{m.Name} must return its result (so the JIT cannot drop the work and the result can be validated), but returns void.");
            }

            if (!m.IsPublic)
            {
                problems.Add($"{type.Name}.{m.Name} must be public.");
            }
        }

        if (!type.IsPublic && !type.IsNestedPublic)
        {
            problems.Add($"{type.Name} must be public for BenchmarkDotNet.");
        }

        if (type.IsSealed)
        {
            problems.Add($"{type.Name} must not be sealed (BenchmarkDotNet rejects sealed benchmark classes).");
        }

        if (type.GetCustomAttribute<MemoryDiagnoserAttribute>(inherit: true) is null)
        {
            problems.Add($"{type.Name} must carry [MemoryDiagnoser].");
        }

        var category = type.GetCustomAttribute<BenchmarkCategoryAttribute>(inherit: true);
        if (category is null || category.Categories.Length == 0)
        {
            problems.Add($"{type.Name} must carry a [BenchmarkCategory] naming its kernel family.");
        }

        var setups = AttributedMethods<GlobalSetupAttribute>(type);
        if (setups.Count == 0)
        {
            problems.Add($"{type.Name} must prepare its seeded inputs in a [GlobalSetup] method.");
        }

        if (setups.Any(m => m.GetCustomAttribute<GlobalSetupAttribute>()!.Targets.Length > 0))
        {
            problems.Add($"{type.Name} uses a target-specific [GlobalSetup]; the validator sets up once for all methods, so use one untargeted setup.");
        }

        return problems;
    }

    /// <summary>Enumerates every combination of the class's <c>[Params]</c>, <c>[ParamsAllValues]</c> and <c>[ParamsSource]</c> values.</summary>
    /// <param name="type">The benchmark class.</param>
    /// <returns>The parameter sets, in BenchmarkDotNet's order (first member varies slowest).</returns>
    public static IReadOnlyList<ParameterSet> ParameterSets(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        var members = type.GetProperties(flags).Cast<MemberInfo>().Concat(type.GetFields(flags))
            .Select(m => (Member: m, Values: ParamValues(type, m)))
            .Where(x => x.Values is not null)
            .OrderBy(x => x.Member.MetadataToken)
            .ToList();
        IEnumerable<List<KeyValuePair<MemberInfo, object?>>> sets = [[]];
        foreach (var (member, values) in members)
        {
            var captured = values!;
            sets = sets.SelectMany(prefix => captured.Select(v => new List<KeyValuePair<MemberInfo, object?>>(prefix) { new(member, v) }));
        }

        return sets.Select(s => new ParameterSet(s)).ToList();
    }

    /// <summary>
    /// Runs the class once with <paramref name="parameters"/>: global set-up, every benchmark method twice (the second result must
    /// equal the first, so iterations are independent), global clean-up; then compares each non-baseline result with the baseline's.
    /// </summary>
    /// <param name="type">The benchmark class.</param>
    /// <param name="parameters">The params values to assign before set-up.</param>
    /// <returns>One message per problem; empty when every benchmark computes what its baseline computes.</returns>
    public static IReadOnlyList<string> Validate(Type type, ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(parameters);
        var structural = StructuralProblems(type);
        if (structural.Count > 0)
        {
            return structural;
        }

        var problems = new List<string>();
        var results = new Dictionary<string, IReadOnlyList<float[]>>(StringComparer.Ordinal);
        var instance = Activator.CreateInstance(type)!;
        try
        {
            parameters.ApplyTo(instance);
            InvokeAll<GlobalSetupAttribute>(instance);
            foreach (var method in BenchmarkMethods(type))
            {
                var first = Invoke(instance, method);
                var second = Invoke(instance, method);
                problems.AddRange(Compare($"{method.Name} (second call vs first)", first, second));
                results[method.Name] = first;
            }
        }
        finally
        {
            InvokeAll<GlobalCleanupAttribute>(instance);
            (instance as IDisposable)?.Dispose();
        }

        var baseline = Baselines(type)[0].Name;
        var expected = results[baseline];
        problems.AddRange(Degenerate($"{baseline} (baseline)", expected));
        foreach (var (name, actual) in results.Where(r => r.Key != baseline))
        {
            problems.AddRange(Compare($"{name} vs {baseline}", expected, actual));
        }

        return problems.Select(p => $"{type.Name} [{parameters}] {p}").ToList();
    }

    /// <summary>Flattens a benchmark's return value into parts: a tensor or array is one part; arrays of them and value/index pairs are several.</summary>
    /// <param name="result">The returned value.</param>
    /// <returns>Copies of the values, part by part.</returns>
    /// <exception cref="NotSupportedException">The result type is not one the validator knows.</exception>
    public static IReadOnlyList<float[]> ToParts(object? result)
    {
        var parts = new List<float[]>();
        AddParts(result, parts);
        return parts;
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with <paramref name="expected"/> part by part: same part count and lengths, finite values, and
    /// |a − e| ≤ <see cref="RelativeTolerance"/>·|e| + <see cref="AbsoluteTolerance"/>·max(1, max |e|) for every element.
    /// </summary>
    /// <param name="label">What is compared, for the messages.</param>
    /// <param name="expected">The reference parts.</param>
    /// <param name="actual">The parts under test.</param>
    /// <returns>One message per mismatching part (with the first few offending elements).</returns>
    public static IReadOnlyList<string> Compare(string label, IReadOnlyList<float[]> expected, IReadOnlyList<float[]> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Count != actual.Count)
        {
            return [$"{label}: {actual.Count} result part(s), but the reference has {expected.Count}."];
        }

        var problems = new List<string>();
        for (var p = 0; p < expected.Count; p++)
        {
            float[] e = expected[p], a = actual[p];
            if (e.Length != a.Length)
            {
                problems.Add($"{label}: part {p} has {a.Length} elements, but the reference has {e.Length}.");
                continue;
            }

            var scale = 1.0;
            foreach (var v in e)
            {
                scale = Math.Max(scale, Math.Abs((double)v));
            }

            var bad = new List<string>();
            var badCount = 0;
            for (var i = 0; i < e.Length; i++)
            {
                var tolerance = (RelativeTolerance * Math.Abs(e[i])) + (AbsoluteTolerance * scale);
                if (!float.IsFinite(a[i]) || !(Math.Abs((double)a[i] - e[i]) <= tolerance))
                {
                    badCount++;
                    if (bad.Count < MaxReportedMismatches)
                    {
                        bad.Add(string.Create(CultureInfo.InvariantCulture, $"[{i}] {a[i]:R} vs {e[i]:R} (tolerance {tolerance:G3})"));
                    }
                }
            }

            if (badCount > 0)
            {
                problems.Add($"{label}: part {p} differs in {badCount} of {e.Length} elements: {string.Join("; ", bad)}.");
            }
        }

        return problems;
    }

    private static List<string> Degenerate(string label, IReadOnlyList<float[]> parts)
    {
        var problems = new List<string>();
        for (var p = 0; p < parts.Count; p++)
        {
            var part = parts[p];
            if (part.Length == 0)
            {
                problems.Add($"{label}: part {p} is empty, so nothing would be compared.");
            }
            else if (part.Any(v => !float.IsFinite(v)))
            {
                problems.Add($"{label}: part {p} has non-finite values; a reference must be finite.");
            }
            else if (part.All(v => v == 0f))
            {
                problems.Add($"{label}: part {p} is all zeros, so a benchmark that computed nothing would match it.");
            }
        }

        if (parts.Count == 0)
        {
            problems.Add($"{label}: returned no values.");
        }

        return problems;
    }

    private static IReadOnlyList<float[]> Invoke(object instance, MethodInfo method)
    {
        object? result;
        try
        {
            result = method.Invoke(instance, null);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        // Copy now: the next invocation disposes a published tensor result.
        return ToParts(result);
    }

    private static void AddParts(object? result, List<float[]> parts)
    {
        switch (result)
        {
            case null:
                throw new NotSupportedException("A benchmark returned null; return the computed result.");
            case Tensor t:
                parts.Add(t.ToArray());
                break;
            case float[] f:
                parts.Add((float[])f.Clone());
                break;
            case float f:
                parts.Add([f]);
                break;
            case ValuesAndIndices vi:
                parts.Add(vi.Values.ToArray());
                parts.Add(vi.Indices.ToArray());
                break;
            case IEnumerable many:
                foreach (var item in many)
                {
                    AddParts(item, parts);
                }

                break;
            default:
                throw new NotSupportedException($"The validator cannot compare a benchmark result of type {result.GetType()}; return a Tensor, float[], arrays of them, or ValuesAndIndices.");
        }
    }

    private static object?[]? ParamValues(Type type, MemberInfo member)
    {
        var memberType = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
        if (member.GetCustomAttribute<ParamsAttribute>() is { } values)
        {
            return values.Values;
        }

        if (member.GetCustomAttribute<ParamsAllValuesAttribute>() is not null)
        {
            var underlying = Nullable.GetUnderlyingType(memberType) ?? memberType;
            object?[] all = underlying == typeof(bool) ? [false, true] : Enum.GetValues(underlying).Cast<object?>().ToArray();
            return underlying == memberType ? all : [.. all, null];
        }

        if (member.GetCustomAttribute<ParamsSourceAttribute>() is { } source)
        {
            const BindingFlags any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
            var provider = (MemberInfo?)type.GetMethod(source.Name, any, Type.EmptyTypes) ?? type.GetProperty(source.Name, any)
                ?? throw new InvalidOperationException($"[ParamsSource(\"{source.Name}\")] on {type.Name}.{member.Name} names no method or property.");
            var target = provider is MethodInfo { IsStatic: true } or PropertyInfo { GetMethod.IsStatic: true } ? null : Activator.CreateInstance(type);
            try
            {
                var produced = provider is MethodInfo mi ? mi.Invoke(target, null) : ((PropertyInfo)provider).GetValue(target);
                return ((IEnumerable)produced!).Cast<object?>().ToArray();
            }
            finally
            {
                (target as IDisposable)?.Dispose();
            }
        }

        return null;
    }

    private static List<MethodInfo> AttributedMethods<TAttribute>(Type type)
        where TAttribute : Attribute =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttribute<TAttribute>() is not null).ToList();

    private static void InvokeAll<TAttribute>(object instance)
        where TAttribute : Attribute
    {
        foreach (var m in AttributedMethods<TAttribute>(instance.GetType()))
        {
            try
            {
                m.Invoke(instance, null);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }
}
