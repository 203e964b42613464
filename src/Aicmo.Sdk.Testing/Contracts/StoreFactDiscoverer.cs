using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Aicmo.Sdk.Testing.Contracts;

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
