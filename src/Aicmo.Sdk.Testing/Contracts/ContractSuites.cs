using System.Reflection;
using Xunit;
using Xunit.Sdk;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract suites every store implementation must run, and a guard that fails when a test assembly leaves one out.</summary>
/// <example>
/// In the store's test assembly:
/// <code>
/// public sealed class ContractCoverageTests
/// {
///     [Fact]
///     public void EverySuiteIsImplemented() => ContractSuites.AssertAllImplemented(typeof(ContractCoverageTests).Assembly);
/// }
/// </code>
/// </example>
public static class ContractSuites
{
    /// <summary>Gets every contract suite, one per store abstraction.</summary>
    public static IReadOnlyList<Type> All { get; } =
    [
        typeof(LeadRepositoryContractTests),
        typeof(CampaignRepositoryContractTests),
        typeof(RunRepositoryContractTests),
        typeof(AuditLogContractTests),
        typeof(LeadTrailContractTests),
        typeof(EmailOutboxContractTests),
        typeof(SuppressionListContractTests),
        typeof(RejectionLogContractTests),
        typeof(JobStoreContractTests),
        typeof(LeadStatisticsContractTests),
        typeof(MessageInboxContractTests),
        typeof(LimitCountersContractTests),
    ];

    /// <summary>Returns the suites that no concrete test class in <paramref name="assembly"/> implements.</summary>
    /// <param name="assembly">The store's test assembly.</param>
    /// <param name="include">Which test classes count (for example those of one store when an assembly tests several); all when <see langword="null"/>.</param>
    /// <returns>The suites left out, empty when every one is implemented.</returns>
    public static IReadOnlyList<Type> FindMissing(Assembly assembly, Func<Type, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var concrete = assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && (include is null || include(t))).ToList();
        return All.Where(suite => !concrete.Any(suite.IsAssignableFrom)).ToList();
    }

    /// <summary>Fails when a concrete test class in <paramref name="assembly"/> is missing for any suite in <see cref="All"/>.</summary>
    /// <param name="assembly">The store's test assembly.</param>
    /// <param name="include">Which test classes count; all when <see langword="null"/>.</param>
    /// <exception cref="XunitException">A suite is not implemented.</exception>
    public static void AssertAllImplemented(Assembly assembly, Func<Type, bool>? include = null)
    {
        var missing = FindMissing(assembly, include);
        if (missing.Count > 0)
        {
            throw new XunitException(
                $"{assembly.GetName().Name} does not run {missing.Count} store contract suite(s): {string.Join(", ", missing.Select(t => t.Name))}. " +
                "Add a test class deriving from each one.");
        }

        Assert.Empty(missing);
    }
}
