using Aicmo.Sdk.Http.Sources;
using Aicmo.Sdk.PublicApi.Tests;

namespace Aicmo.Sdk.Http.Tests.PublicApi;

/// <summary>Pins the public surface of Aicmo.Sdk.Http; accept an intended change with <c>AICMO_ACCEPT_API=1</c>.</summary>
public class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSurface()
    {
        PublicApiApproval.Verify(typeof(HttpLeadSource).Assembly);
    }
}
