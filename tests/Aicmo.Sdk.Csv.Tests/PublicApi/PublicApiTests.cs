using Aicmo.Sdk.Csv.Import;
using Aicmo.Sdk.PublicApi.Tests;

namespace Aicmo.Sdk.Csv.Tests.PublicApi;

/// <summary>Pins the public surface of Aicmo.Sdk.Csv; accept an intended change with <c>AICMO_ACCEPT_API=1</c>.</summary>
public class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSurface()
    {
        PublicApiApproval.Verify(typeof(CsvLeadSource).Assembly);
    }
}
