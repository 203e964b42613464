using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryStoreContractCoverageTests
{
    [Fact]
    public void EveryContractSuite_RunsAgainstTheInMemoryStores() =>
        ContractSuites.AssertAllImplemented(
            typeof(InMemoryStoreContractCoverageTests).Assembly,
            static t => t.Namespace == typeof(InMemoryStoreContractCoverageTests).Namespace && t.Name.StartsWith("InMemory", StringComparison.Ordinal));

    [Fact]
    public void Guard_SuiteLeftOut_FailsNamingIt()
    {
        var missing = ContractSuites.FindMissing(
            typeof(InMemoryStoreContractCoverageTests).Assembly,
            static t => t != typeof(InMemoryAuditLogContractTests) && t.Name.StartsWith("InMemory", StringComparison.Ordinal));

        Assert.Equal([typeof(AuditLogContractTests)], missing);
        var failure = Assert.ThrowsAny<Exception>(() => ContractSuites.AssertAllImplemented(
            typeof(InMemoryStoreContractCoverageTests).Assembly,
            static t => t != typeof(InMemoryAuditLogContractTests) && t.Name.StartsWith("InMemory", StringComparison.Ordinal)));
        Assert.Contains(nameof(AuditLogContractTests), failure.Message, StringComparison.Ordinal);
    }
}
