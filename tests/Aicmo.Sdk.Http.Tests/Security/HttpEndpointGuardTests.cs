using System.Net;
using Aicmo.Sdk.Http.Security;
using Aicmo.Sdk.Http.Security.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aicmo.Sdk.Http.Tests.Security;

public class HttpEndpointGuardTests
{
    [Fact]
    public async Task RedirectFromAnAllowedServerToAnotherLoopbackPort_IsRefused()
    {
        await using var inner = await LoopbackServer.StartAsync(app => app.MapGet("/people", () => Results.Text(HttpSources.Page([1]), "application/json")));
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", () => Results.Redirect(new Uri(inner.BaseAddress, "people").ToString())));
        using var http = new HttpSources(server);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.ReadAllAsync());

        var refusal = Assert.IsType<DisallowedEndpointException>(ex.InnerException);
        Assert.Contains($"{inner.Endpoint} (127.0.0.1) was refused", refusal.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        Assert.Empty(inner.Requests);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/")]
    [InlineData("http://127.0.0.1:1/")]
    [InlineData("http://[::1]:80/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://192.168.1.1/")]
    public async Task RedirectToAnInternalAddress_IsRefusedAndNotRetried(string target)
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", () => Results.Redirect(target)));
        using var http = new HttpSources(server);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.ReadAllAsync());

        Assert.IsType<DisallowedEndpointException>(ex.InnerException);
        Assert.Contains(new Uri(target).Host.Trim('[', ']'), ex.InnerException!.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task RedirectWithinTheAllowedServer_IsFollowed()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/people", () => Results.Redirect("/v2/people"));
            app.MapGet("/v2/people", () => Results.Text(HttpSources.Page([1]), "application/json"));
        });
        using var http = new HttpSources(server);

        Assert.Single(await http.ReadAllAsync());
    }

    [Fact]
    public async Task ServerNotAllowed_IsRefusedAtTheFirstRequest()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", () => Results.Text(HttpSources.Page([1]), "application/json")));
        using var http = new HttpSources(server, allowServer: false);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.ReadAllAsync());

        Assert.IsType<DisallowedEndpointException>(ex.InnerException);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.0.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void IsInternal_ClassifiesAddresses(string address, bool expected)
    {
        Assert.Equal(expected, HttpEndpointGuard.IsInternal(IPAddress.Parse(address)));
    }
}
