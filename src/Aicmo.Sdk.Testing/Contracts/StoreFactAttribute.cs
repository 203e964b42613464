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
