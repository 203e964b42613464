using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>
/// A fact of a store test: runs like <see cref="FactAttribute"/>, unless the concrete test class carries a
/// <see cref="StoreSkipAttribute"/> that gives a reason to skip (for example, no database server is configured outside CI).
/// </summary>
/// <remarks>Every fact of the contract suites is a store fact, so a store's test assembly decides when they may be skipped.</remarks>
[XunitTestCaseDiscoverer("Aicmo.Sdk.Testing.Contracts.StoreFactDiscoverer", "Aicmo.Sdk.Testing")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute
{
}

/// <summary>
/// Put on a store's test class (or a base class of it) to skip its <see cref="StoreFactAttribute"/> facts when the store cannot
/// be reached. Return <see langword="null"/> to run them; a store whose tests must never skip (CI) should throw instead.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public abstract class StoreSkipAttribute : Attribute
{
    /// <summary>Returns why the facts are skipped, or <see langword="null"/> to run them.</summary>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public abstract string? GetSkipReason();
}

/// <summary>Discovers <see cref="StoreFactAttribute"/> facts, skipping them when the test class's <see cref="StoreSkipAttribute"/> says so.</summary>
/// <param name="diagnosticMessageSink">Where diagnostics go.</param>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        ArgumentNullException.ThrowIfNull(factAttribute);
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var skipReason = factAttribute.GetNamedArgument<string>(nameof(FactAttribute.Skip));
        if (skipReason is null && testMethod.TestClass.Class is IReflectionTypeInfo reflected)
        {
            skipReason = reflected.Type.GetCustomAttributes(typeof(StoreSkipAttribute), inherit: true)
                .Cast<StoreSkipAttribute>()
                .Select(a => a.GetSkipReason())
                .FirstOrDefault(r => r is not null);
        }

        if (skipReason is not null)
        {
            return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, skipReason)];
        }

        return [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)];
    }
}
