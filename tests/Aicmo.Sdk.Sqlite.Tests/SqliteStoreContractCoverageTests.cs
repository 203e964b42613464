using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteStoreContractCoverageTests
{
    [Fact]
    public void EveryContractSuite_RunsAgainstTheSqliteStores() =>
        ContractSuites.AssertAllImplemented(typeof(SqliteStoreContractCoverageTests).Assembly);
}
