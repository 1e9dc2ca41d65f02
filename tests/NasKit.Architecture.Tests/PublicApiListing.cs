using System.Globalization;
using System.Reflection;
using System.Text;

namespace NasKit.Architecture.Tests;

/// <summary>Renders the public surface of an assembly as stable, sorted text for review (STYLE.md G18).</summary>
internal static class PublicApiListing
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<Type, string> s_keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal", [typeof(char)] = "char",
        [typeof(string)] = "string", [typeof(object)] = "object", [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
    };

    public static string Render(Assembly assembly)
    {
        var nullability = new NullabilityInfoContext();
        var sb = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            sb.AppendLine(TypeHeader(type));
            var members = new List<string>();
            foreach (var member in type.GetMembers(Declared))
            {
                var line = Member(member, nullability);
                if (line is not null)
                {
                    members.Add("  " + line);
                }
            }

            members.Sort(StringComparer.Ordinal);
            foreach (var m in members)
            {
                sb.AppendLine(m);
            }

            sb.AppendLine();
        }

        return sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string TypeHeader(Type type)
    {
        string kind;
        if (type.IsEnum)
        {
            kind = "enum";
        }
        else if (type.IsInterface)
        {
            kind = "interface";
        }
        else if (type.IsValueType)
        {
            kind = type.GetCustomAttributes().Any(a => a.GetType().Name == "IsReadOnlyAttribute") ? "readonly struct" : "struct";
        }
        else if (typeof(Delegate).IsAssignableFrom(type))
        {
            kind = "delegate";
        }
        else
        {
            kind = type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : type.IsSealed ? "sealed class" : "class";
        }

        var bases = new List<string>();
        if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) && !typeof(Delegate).IsAssignableFrom(type))
        {
            bases.Add(Name(b));
        }

        var inherited = type.BaseType?.GetInterfaces() ?? [];
        bases.AddRange(type.GetInterfaces().Where(i => !inherited.Contains(i) && (i.IsPublic || i.IsNestedPublic)).Select(Name).Order(StringComparer.Ordinal));
        return $"{Visibility(type)} {kind} {Name(type)}" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty);
    }

    private static string Visibility(Type t) => t.IsPublic || t.IsNestedPublic ? "public" : "protected";

    private static string? Member(MemberInfo member, NullabilityInfoContext nullability)
    {
        switch (member)
        {
            case ConstructorInfo c when IsVisible(c):
                return $"{Access(c)}{(c.IsStatic ? "static " : string.Empty)}ctor({Parameters(c.GetParameters(), nullability)})";
            case MethodInfo m when IsVisible(m) && !m.IsSpecialName:
                return $"{Access(m)}{Modifiers(m)}method {Nullable(m.ReturnParameter, nullability)} {m.Name}{GenericArguments(m)}({Parameters(m.GetParameters(), nullability)})";
            case MethodInfo m when IsVisible(m) && m.Name.StartsWith("op_", StringComparison.Ordinal):
                return $"{Access(m)}operator {Nullable(m.ReturnParameter, nullability)} {m.Name}({Parameters(m.GetParameters(), nullability)})";
            case PropertyInfo p:
                var getter = p.GetMethod is { } g && IsVisible(g) ? g : null;
                var setter = p.SetMethod is { } s && IsVisible(s) ? s : null;
                if (getter is null && setter is null)
                {
                    return null;
                }

                var accessor = getter ?? setter!;
                var indexParams = p.GetIndexParameters();
                var name = indexParams.Length > 0 ? $"this[{Parameters(indexParams, nullability)}]" : p.Name;
                var init = setter is not null && setter.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.Name == "IsExternalInit");
                var accessors = (getter is not null ? "get; " : string.Empty) + (setter is not null ? (init ? "init; " : "set; ") : string.Empty);
                return $"{Access(accessor)}{Modifiers(accessor)}property {NullableProperty(p, nullability)} {name} {{ {accessors}}}";
            case FieldInfo f when (f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly) && !f.IsSpecialName:
                var value = f.IsLiteral ? " = " + Literal(f.GetRawConstantValue()) : string.Empty;
                var fieldKind = f.IsLiteral ? "const" : (f.IsStatic ? "static " : string.Empty) + (f.IsInitOnly ? "readonly field" : "field");
                return $"{(f.IsPublic ? string.Empty : "protected ")}{fieldKind} {Name(f.FieldType)} {f.Name}{value}";
            case EventInfo e when e.AddMethod is { } add && IsVisible(add):
                return $"{Access(add)}event {Name(e.EventHandlerType!)} {e.Name}";
            default:
                return null;
        }
    }

    private static bool IsVisible(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

    private static string Access(MethodBase m) => m.IsPublic ? string.Empty : "protected ";

    private static string Modifiers(MethodInfo m)
    {
        if (m.IsStatic)
        {
            return "static ";
        }

        if (m.IsAbstract)
        {
            return m.DeclaringType!.IsInterface ? string.Empty : "abstract ";
        }

        if (m.IsVirtual && !m.IsFinal)
        {
            return m.GetBaseDefinition() != m ? "override " : "virtual ";
        }

        return m.IsVirtual && m.GetBaseDefinition() != m ? "override " : string.Empty;
    }

    private static string GenericArguments(MethodInfo m) =>
        m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Parameters(ParameterInfo[] parameters, NullabilityInfoContext nullability) =>
        string.Join(", ", parameters.Select(p =>
        {
            var prefix = p.GetCustomAttributes().Any(a => a.GetType().Name == "ParamArrayAttribute" || a.GetType().Name == "ParamCollectionAttribute") ? "params " : string.Empty;
            if (p.ParameterType.IsByRef)
            {
                prefix += p.IsOut ? "out " : p.IsIn ? "in " : "ref ";
            }

            var text = $"{prefix}{Nullable(p, nullability)} {p.Name}";
            return p.HasDefaultValue ? text + " = " + Literal(p.DefaultValue) : text;
        }));

    private static string Nullable(ParameterInfo p, NullabilityInfoContext nullability)
    {
        var type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
        var name = Name(type);
        if (!type.IsValueType && type != typeof(void))
        {
            try
            {
                var info = nullability.Create(p);
                var state = p.IsOut ? info.WriteState : info.ReadState;
                if (state == NullabilityState.Nullable)
                {
                    name += "?";
                }
            }
            catch (InvalidOperationException)
            {
                // Nullability metadata unavailable: render without annotation.
            }
        }

        return name;
    }

    private static string NullableProperty(PropertyInfo p, NullabilityInfoContext nullability)
    {
        var name = Name(p.PropertyType);
        if (!p.PropertyType.IsValueType && nullability.Create(p).ReadState == NullabilityState.Nullable)
        {
            name += "?";
        }

        return name;
    }

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        char c => "'" + c + "'",
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };

    private static string Name(Type t)
    {
        if (s_keywords.TryGetValue(t, out var keyword))
        {
            return keyword;
        }

        if (t.IsByRef)
        {
            return Name(t.GetElementType()!);
        }

        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        }

        if (t.IsGenericParameter)
        {
            return t.Name;
        }

        if (System.Nullable.GetUnderlyingType(t) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        var fullName = t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : (t.Namespace is null ? t.Name : t.Namespace + "." + t.Name);
        if (!t.IsGenericType)
        {
            return fullName;
        }

        var tick = fullName.IndexOf('`', StringComparison.Ordinal);
        var baseName = tick < 0 ? fullName : fullName[..tick];
        return baseName + "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
    }
}
