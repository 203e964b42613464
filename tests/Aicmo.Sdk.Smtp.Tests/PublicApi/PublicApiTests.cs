using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Aicmo.Sdk.Smtp.Sending;

namespace Aicmo.Sdk.Smtp.Tests.PublicApi;

/// <summary>
/// Pins the public surface of Aicmo.Sdk.Smtp (the same description as the core's approval test). When a change to it is intended, run the tests with
/// <c>AICMO_ACCEPT_API=1</c> to rewrite the approved files, and review the diff like any other change.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSurface()
    {
        const string assemblyName = "Aicmo.Sdk.Smtp";
        var assembly = typeof(SmtpEmailSender).Assembly;
        var actual = Describe(assembly);
        var approvedPath = Path.Combine(SourceDirectory(), assemblyName + ".approved.txt");

        if (Environment.GetEnvironmentVariable("AICMO_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        Assert.True(File.Exists(approvedPath), $"No approved API file at {approvedPath}; run with AICMO_ACCEPT_API=1 to create it.");
        var approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        if (approved != actual)
        {
            var receivedPath = Path.ChangeExtension(approvedPath, ".received.txt");
            File.WriteAllText(receivedPath, actual);
            var added = actual.Split('\n').Except(approved.Split('\n')).Take(20);
            var removed = approved.Split('\n').Except(actual.Split('\n')).Take(20);
            Assert.Fail($"The public API of {assemblyName} changed. Added:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}\n" +
                        $"If intended, run the tests with AICMO_ACCEPT_API=1 (received file: {receivedPath}).");
        }
    }

    private static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add(TypeLine(type));
            const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = new List<string>();
            foreach (var member in type.GetMembers(Flags))
            {
                if (member is MethodInfo { IsSpecialName: true } || IsCompilerNoise(member))
                {
                    continue;
                }

                members.Add("  " + MemberLine(member));
            }

            lines.AddRange(members.Order(StringComparer.Ordinal));
        }

        return string.Join("\n", lines) + "\n";
    }

    private static bool IsCompilerNoise(MemberInfo member) =>
        member.IsDefined(typeof(CompilerGeneratedAttribute)) ||
        member.Name is "<Clone>$" or "EqualityContract" or "Deconstruct" or "PrintMembers";

    private static string TypeLine(Type type)
    {
        var kind = type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : type.IsSealed ? "sealed class" : "class";
        var bases = new List<string>();
        if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Add(Name(b));
        }

        bases.AddRange(type.GetInterfaces().Where(i => !i.Name.StartsWith("IEquatable", StringComparison.Ordinal)).Select(Name).Order(StringComparer.Ordinal));
        return $"{kind} {Name(type)}" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty);
    }

    private static string MemberLine(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"ctor({Parameters(c.GetParameters())})",
        MethodInfo m => $"{(m.IsStatic ? "static " : string.Empty)}{Name(m.ReturnType)} {m.Name}{(m.IsGenericMethod ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty)}({Parameters(m.GetParameters())})",
        PropertyInfo p => $"{Name(p.PropertyType)} {p.Name} {{ {(p.GetMethod?.IsPublic == true ? "get; " : string.Empty)}{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.Name == "IsExternalInit") ? "init; " : "set; ") : string.Empty)}}}",
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty)}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        Type t => $"nested {Name(t)}",
        _ => member.ToString() ?? member.Name,
    };

    private static string Parameters(ParameterInfo[] parameters) =>
        string.Join(", ", parameters.Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
        {
            return Name(nullable) + "?";
        }

        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }

        var definition = type.GetGenericTypeDefinition().FullName ?? type.Name;
        definition = definition[..definition.IndexOf('`', StringComparison.Ordinal)];
        return $"{definition}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
