using Aicmo.Sdk.PublicApi.Tests;

namespace Aicmo.Sdk.RabbitMQ.Tests.PublicApi;

/// <summary>Pins the public API of Aicmo.Sdk.RabbitMQ (see <see cref="PublicApiApproval"/>).</summary>
public class PublicApiTests
{
    [Fact]
    public void AicmoSdkRabbitMQ_MatchesTheApprovedSurface() => PublicApiApproval.Verify(typeof(RabbitMqTransportOptions).Assembly);
}
