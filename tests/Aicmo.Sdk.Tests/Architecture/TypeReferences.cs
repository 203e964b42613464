using System.Reflection;
using System.Reflection.Emit;

namespace Aicmo.Sdk.Tests.Architecture;

/// <summary>
/// The types a type refers to: its base type and interfaces, the types of its fields, properties and events, the
/// signatures and generic constraints of its methods and constructors, its attributes, and every type, field and method
/// that its method bodies name (read from the IL's metadata tokens). Compiler-generated types (closures, async state
/// machines) count as part of the type that declares them, since their namespace is that type's.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Every type <paramref name="type"/> refers to, each with where the reference stands.</summary>
    public static IEnumerable<(Type Target, string Via)> Of(Type type)
    {
        var found = new List<(Type, string)>();
        void Add(Type? t, string via) => Expand(t, via, found);

        Add(type.BaseType, "base type");
        foreach (var i in type.GetInterfaces())
        {
            Add(i, "interface");
        }

        foreach (var a in type.GetCustomAttributesData())
        {
            Add(a.AttributeType, "attribute");
        }

        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType, $"field {field.Name}");
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType, $"property {property.Name}");
        }

        foreach (var e in type.GetEvents(Declared))
        {
            Add(e.EventHandlerType, $"event {e.Name}");
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            var via = $"{method.Name}";
            if (method is MethodInfo m)
            {
                Add(m.ReturnType, via);
            }

            foreach (var p in method.GetParameters())
            {
                Add(p.ParameterType, via);
            }

            if (method.IsGenericMethodDefinition)
            {
                foreach (var c in method.GetGenericArguments().SelectMany(g => g.GetGenericParameterConstraints()))
                {
                    Add(c, via);
                }
            }

            foreach (var target in BodyReferences(method))
            {
                Add(target, $"{via} (body)");
            }
        }

        return found;
    }

    private static void Expand(Type? type, string via, List<(Type, string)> found)
    {
        if (type is null || type.IsGenericParameter)
        {
            return;
        }

        if (type.HasElementType)
        {
            Expand(type.GetElementType(), via, found);
            return;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Expand(argument, via, found);
            }

            type = type.GetGenericTypeDefinition();
        }

        found.Add((type, via));
    }

    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position] == 0xFE ? (short)(0xFE00 | il[position + 1]) : il[position];
            position += il[position] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineTok or OperandType.InlineField or OperandType.InlineMethod:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments)!;
                    foreach (var t in MemberTypes(member))
                    {
                        yield return t;
                    }

                    position += 4;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    position += 4;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    position += 1;
                    break;
            }
        }
    }

    private static IEnumerable<Type> MemberTypes(MemberInfo member)
    {
        switch (member)
        {
            case Type t:
                yield return t;
                break;
            case FieldInfo f:
                if (f.DeclaringType is { } fieldOwner)
                {
                    yield return fieldOwner;
                }

                yield return f.FieldType;
                break;
            case MethodBase m:
                if (m.DeclaringType is { } methodOwner)
                {
                    yield return methodOwner;
                }

                if (m is MethodInfo info)
                {
                    yield return info.ReturnType;
                    foreach (var g in info.IsGenericMethod ? info.GetGenericArguments() : [])
                    {
                        yield return g;
                    }
                }

                foreach (var p in m.GetParameters())
                {
                    yield return p.ParameterType;
                }

                break;
        }
    }
}
