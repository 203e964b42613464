using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Aicmo.Sdk.Pipeline;
using BenchmarkDotNet.Attributes;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>How many leads the smoke mode gives a benchmark class that has a <c>Leads</c> parameter.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SmokeLeadsAttribute(int leads) : Attribute
{
    public int Leads { get; } = leads;
}

/// <summary>
/// <c>--smoke</c>: every benchmark of every class, once, with a tiny <c>Leads</c>, through the same setup, benchmark and cleanup
/// methods BenchmarkDotNet calls. The cleanups check each run's own output (counts add up, no lead lost, no email sent twice),
/// so a broken scenario fails here. No timing is measured or asserted; the elapsed times printed are for information.
/// </summary>
public static class SmokeRunner
{
    private const int DefaultSmokeLeads = 2_000;

    public static async Task<int> RunAsync()
    {
        var total = Stopwatch.StartNew();
        var failures = 0;
        var count = 0;
        var classes = typeof(SmokeRunner).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        foreach (var type in classes)
        {
            foreach (var parameters in Combinations(type))
            {
                var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).OrderBy(m => m.MetadataToken).ToArray();
                object instance;
                try
                {
                    instance = Activator.CreateInstance(type)!;
                    foreach (var (property, value) in parameters)
                    {
                        property.SetValue(instance, value);
                    }

                    await InvokeAllAsync<GlobalSetupAttribute>(instance, null);
                }
                catch (Exception ex)
                {
                    failures++;
                    Console.WriteLine($"FAIL {type.Name}{Describe(parameters)} setup: {Unwrap(ex).Message}");
                    continue;
                }

                foreach (var method in methods)
                {
                    count++;
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        await InvokeAllAsync<IterationSetupAttribute>(instance, method.Name);
                        var result = await InvokeAsync(instance, method);
                        await InvokeAllAsync<IterationCleanupAttribute>(instance, method.Name);
                        Console.WriteLine($"ok   {type.Name}.{method.Name}{Describe(parameters)} {Summarize(result)} ({watch.ElapsedMilliseconds} ms)");
                    }
                    catch (Exception ex)
                    {
                        failures++;
                        Console.WriteLine($"FAIL {type.Name}.{method.Name}{Describe(parameters)}: {Unwrap(ex).Message}");
                    }
                }

                try
                {
                    await InvokeAllAsync<GlobalCleanupAttribute>(instance, null);
                }
                catch (Exception ex)
                {
                    failures++;
                    Console.WriteLine($"FAIL {type.Name}{Describe(parameters)} cleanup: {Unwrap(ex).Message}");
                }
            }
        }

        Console.WriteLine($"smoke: {count - failures} of {count} benchmark scenarios passed their checks in {total.Elapsed.TotalSeconds:0.0} s");
        return failures == 0 && count > 0 ? 0 : 1;
    }

    /// <summary>Every combination of the class's parameter values, with <c>Leads</c> replaced by the smoke count.</summary>
    private static List<(PropertyInfo Property, object? Value)[]> Combinations(Type type)
    {
        var smokeLeads = type.GetCustomAttribute<SmokeLeadsAttribute>()?.Leads ?? DefaultSmokeLeads;
        var axes = type.GetProperties()
            .Select(p => (Property: p, Values: p.Name == "Leads" ? [smokeLeads] : p.GetCustomAttribute<ParamsAttribute>()?.Values ?? SourceValues(type, p)))
            .Where(a => a.Values is { Length: > 0 })
            .ToArray();
        var result = new List<(PropertyInfo, object?)[]> { Array.Empty<(PropertyInfo, object?)>() };
        foreach (var (property, values) in axes)
        {
            result = [.. result.SelectMany(prefix => values!.Select(v => prefix.Append((property, v)).ToArray()))];
        }

        return result;
    }

    /// <summary>The values a <c>[ParamsSource]</c> member yields (a public static method or property of the class).</summary>
    private static object?[]? SourceValues(Type type, PropertyInfo property)
    {
        if (property.GetCustomAttribute<ParamsSourceAttribute>()?.Name is not { } name)
        {
            return null;
        }

        const BindingFlags Static = BindingFlags.Public | BindingFlags.Static;
        var values = type.GetMethod(name, Static, Type.EmptyTypes)?.Invoke(null, null) ?? type.GetProperty(name, Static)?.GetValue(null);
        return values is System.Collections.IEnumerable items ? items.Cast<object?>().ToArray() : null;
    }

    private static async Task InvokeAllAsync<TAttribute>(object instance, string? benchmark)
        where TAttribute : TargetedAttribute
    {
        foreach (var method in instance.GetType().GetMethods())
        {
            var attribute = method.GetCustomAttribute<TAttribute>();
            if (attribute is null)
            {
                continue;
            }

            var targets = attribute.Targets ?? [];
            if (targets.Length == 0 || (benchmark is not null && targets.Contains(benchmark)))
            {
                await InvokeAsync(instance, method);
            }
        }
    }

    private static async Task<object?> InvokeAsync(object instance, MethodInfo method)
    {
        var value = method.Invoke(instance, null);
        switch (value)
        {
            case Task task:
                await task;
                return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                return value;
        }
    }

    private static string Describe((PropertyInfo Property, object? Value)[] parameters) =>
        parameters.Length == 0 ? string.Empty : "(" + string.Join(", ", parameters.Select(p => $"{p.Property.Name}={p.Value}")) + ")";

    private static string Summarize(object? result) => result switch
    {
        PipelineRunResult r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Status}: harvested {r.Harvested} = duplicates {r.Duplicates} + disqualified {r.Disqualified} + review {r.ManualReview} + routed {r.Routed} + contacted {r.Contacted} + suppressed {r.Suppressed} + quarantined {r.Quarantined} + pending {r.Pending}"),
        null => string.Empty,
        _ => "-> " + Convert.ToString(result, CultureInfo.InvariantCulture),
    };

    private static Exception Unwrap(Exception ex) => ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
}
