using System.Net;
using System.Net.Http.Headers;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Tests.Security;

public class ApiSecurityTests
{
    [Fact]
    public async Task NoKey_Returns401ProblemWithChallenge()
    {
        await using var host = await ApiHost.StartAsync();

        using var response = await host.Client.GetAsync("/api/v1/campaigns");

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.Unauthorized, AicmoProblemTypes.Unauthenticated);
        Assert.Equal("ApiKey", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task WrongKey_Returns401()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As("not-a-key");

        using var response = await client.GetAsync("/api/v1/campaigns");

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.Unauthorized, AicmoProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task AuthorizationHeaderApiKey_IsAccepted()
    {
        await using var host = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/campaigns");
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", ApiHost.ReadKey);

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ReadKey_CannotCreateCampaignOrStartRun_403AndNothingChanges()
    {
        await using var host = await ApiHost.StartAsync();
        var id = await host.CreateCampaignAsync();
        using var reader = host.As(ApiHost.ReadKey);

        using var create = await reader.PostAsync("/api/v1/campaigns", ApiHost.JsonBody("""{"name":"from a reader"}"""));
        using var run = await reader.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("{}"));

        await ApiHost.AssertProblemAsync(create, HttpStatusCode.Forbidden, AicmoProblemTypes.Forbidden);
        await ApiHost.AssertProblemAsync(run, HttpStatusCode.Forbidden, AicmoProblemTypes.Forbidden);
        Assert.Single(await host.Services.GetRequiredService<ICampaignRepository>().ListAsync());
        Assert.Empty(await host.Services.GetRequiredService<IRunRepository>().ListAsync(id));
    }

    [Fact]
    public async Task OperateKey_CanRead_ScopesInclude()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.AdminKey);

        using var response = await client.GetAsync("/api/v1/campaigns");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NoKeysNoPoliciesNoAnonymous_HostFailsToStartNamingTheOption()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiHost.StartAsync(o => o.ApiKeys.Clear()));

        Assert.Contains("AicmoApiOptions", failure.Message, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymous", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainTextKeyHash_HostFailsToStartNamingTheKey()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(
            () => ApiHost.StartAsync(o => o.ApiKeys.Add(new AicmoApiKey("careless", "plain-text-key", AicmoApiScopes.Read))));

        Assert.Contains("'careless'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowAnonymous_ExplicitOptIn_ServesWithoutKey()
    {
        await using var host = await ApiHost.StartAsync(o =>
        {
            o.ApiKeys.Clear();
            o.AllowAnonymous = true;
        });

        using var response = await host.Client.GetAsync("/api/v1/campaigns");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RateLimit_PerCaller_429WithRetryAfterAndOtherCallersUnaffected()
    {
        await using var host = await ApiHost.StartAsync(o =>
        {
            o.RateLimitPermits = 3;
            o.RateLimitWindow = TimeSpan.FromMinutes(5);
        });
        using var reader = host.As(ApiHost.ReadKey);
        using var other = host.As(ApiHost.OperateKey);

        for (var i = 0; i < 3; i++)
        {
            using var ok = await reader.GetAsync("/api/v1/campaigns");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await reader.GetAsync("/api/v1/campaigns");
        using var otherCaller = await other.GetAsync("/api/v1/campaigns");

        await ApiHost.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, AicmoProblemTypes.RateLimited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without a positive Retry-After.");
        Assert.Equal(HttpStatusCode.OK, otherCaller.StatusCode);
    }

    [Fact]
    public void ApiKey_KeepsOnlyTheHash()
    {
        var key = AicmoApiKey.FromPlainKey("k", "secret-value", AicmoApiScopes.Read);

        Assert.DoesNotContain("secret-value", key.ToString(), StringComparison.Ordinal);
        Assert.Equal(64, key.KeyHash.Length);
        Assert.Equal(AicmoApiKey.Hash("secret-value"), key.KeyHash);
    }
}
