using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.PostgreSql.Tests;

public sealed class PostgreSqlStoreContractCoverageTests
{
    [Fact]
    public void EveryContractSuite_RunsAgainstThePostgreSqlStores() =>
        ContractSuites.AssertAllImplemented(typeof(PostgreSqlStoreContractCoverageTests).Assembly);
}
