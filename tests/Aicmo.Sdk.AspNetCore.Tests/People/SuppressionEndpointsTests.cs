using System.Net;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.Tests.People;

public class SuppressionEndpointsTests
{
    [Fact]
    public async Task Add_ThenList_ThenRemove_TheAddressCanBeMailedAgain()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        var store = host.Services.GetRequiredService<ISuppressionList>();

        using var added = await client.PostAsync("/api/v1/suppressions", ApiHost.JsonBody("""{"email":" Ada@Example.COM ","reason":"complained"}"""));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("/api/v1/suppressions/ada%40example.com", added.Headers.Location?.OriginalString);
        var body = await ApiHost.ReadJsonAsync(added);
        Assert.Equal("ada@example.com", body.GetProperty("email").GetString());
        Assert.Equal("complained", body.GetProperty("reason").GetString());
        Assert.Equal(SuppressionReason.Complained, (await store.GetAsync("ada@example.com"))?.Reason);

        using var list = await client.GetAsync("/api/v1/suppressions");
        var items = (await ApiHost.ReadJsonAsync(list)).GetProperty("items");
        Assert.Equal("ada@example.com", Assert.Single(items.EnumerateArray()).GetProperty("email").GetString());

        using var removed = await client.DeleteAsync("/api/v1/suppressions/ADA%40example.com");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Null(await store.GetAsync("ada@example.com"));

        using var again = await client.DeleteAsync("/api/v1/suppressions/ada%40example.com");
        await ApiHost.AssertProblemAsync(again, HttpStatusCode.NotFound, AicmoProblemTypes.NotFound);
    }

    [Fact]
    public async Task Add_AlreadySuppressed_Returns200AndKeepsTheFirstReason()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        using var first = await client.PostAsync("/api/v1/suppressions", ApiHost.JsonBody("""{"email":"x@example.com","reason":"bounced"}"""));

        using var second = await client.PostAsync("/api/v1/suppressions", ApiHost.JsonBody("""{"email":"x@example.com"}"""));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("bounced", (await ApiHost.ReadJsonAsync(second)).GetProperty("reason").GetString());
        Assert.Equal(SuppressionReason.Bounced, (await host.Services.GetRequiredService<ISuppressionList>().GetAsync("x@example.com"))?.Reason);
    }

    [Fact]
    public async Task List_PagesByCursorInAddressOrder()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.ReadKey);
        var store = host.Services.GetRequiredService<ISuppressionList>();
        for (var i = 4; i >= 0; i--)
        {
            await store.AddAsync(new SuppressionEntry($"p{i}@example.com", SuppressionReason.Manual, DateTimeOffset.UnixEpoch));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await client.GetAsync("/api/v1/suppressions?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await ApiHost.ReadJsonAsync(response);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("email").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(new[] { "p0@example.com", "p1@example.com", "p2@example.com", "p3@example.com", "p4@example.com" }, seen);
    }

    [Fact]
    public async Task ReadKey_CannotAddOrRemove_403AndNothingChanges()
    {
        await using var host = await ApiHost.StartAsync();
        var store = host.Services.GetRequiredService<ISuppressionList>();
        await store.AddAsync(new SuppressionEntry("kept@example.com", SuppressionReason.Manual, DateTimeOffset.UnixEpoch));
        using var reader = host.As(ApiHost.ReadKey);

        using var add = await reader.PostAsync("/api/v1/suppressions", ApiHost.JsonBody("""{"email":"new@example.com"}"""));
        using var remove = await reader.DeleteAsync("/api/v1/suppressions/kept%40example.com");
        using var anonymous = await host.Client.GetAsync("/api/v1/suppressions");

        await ApiHost.AssertProblemAsync(add, HttpStatusCode.Forbidden, AicmoProblemTypes.Forbidden);
        await ApiHost.AssertProblemAsync(remove, HttpStatusCode.Forbidden, AicmoProblemTypes.Forbidden);
        await ApiHost.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, AicmoProblemTypes.Unauthenticated);
        Assert.Null(await store.GetAsync("new@example.com"));
        Assert.NotNull(await store.GetAsync("kept@example.com"));
    }

    public static TheoryData<string, string> HostileBodies => new()
    {
        { """{"email":"ada@example.com\r\nBcc: x@evil.example"}""", "email" },
        { """{"email":"ada\u2028@example.com"}""", "email" },
        { """{"email":"ada@exa\u0000mple.com"}""", "email" },
        { """{"email":"not an address"}""", "email" },
        { """{"email":"=HYPERLINK(\"http://evil\")@example.com"}""", "email" },
        { "{\"email\":\"" + new string('a', 300) + "@example.com\"}", "email" },
        { """{"email":"ada@example.com","reason":"erased"}""", "reason" },
        { """{"email":"ada@example.com","reason":"Manual\r\n"}""", "reason" },
        { """{}""", "email" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Add_HostileOrInvalidBody_400NamingTheFieldAndNothingStored(string json, string field)
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.PostAsync("/api/v1/suppressions", ApiHost.JsonBody(json));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, field);
        Assert.Empty(await host.Services.GetRequiredService<ISuppressionList>().ListAsync());
    }

    [Fact]
    public async Task Add_HugeBodyUnknownFieldOrWrongMediaType_4xxAndNothingStored()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var huge = await client.PostAsync("/api/v1/suppressions", ApiHost.JsonBody("{\"email\":\"a@example.com\",\"reason\":\"" + new string('x', 200_000) + "\"}"));
        using var unknown = await client.PostAsync("/api/v1/suppressions", ApiHost.JsonBody("""{"email":"a@example.com","drop":"table"}"""));
        using var text = await client.PostAsync("/api/v1/suppressions", new StringContent("""{"email":"a@example.com"}"""));

        await ApiHost.AssertProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge, AicmoProblemTypes.PayloadTooLarge);
        await ApiHost.AssertProblemAsync(unknown, HttpStatusCode.BadRequest, AicmoProblemTypes.MalformedBody);
        await ApiHost.AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType, AicmoProblemTypes.UnsupportedMediaType);
        Assert.Empty(await host.Services.GetRequiredService<ISuppressionList>().ListAsync());
    }

    [Theory]
    [InlineData("ada%0D%0ABcc%3A%20x%40evil.example")]
    [InlineData("ada%E2%80%A8%40example.com")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    public async Task Remove_HostilePath_400AndNothingRemoved(string path)
    {
        await using var host = await ApiHost.StartAsync();
        var store = host.Services.GetRequiredService<ISuppressionList>();
        await store.AddAsync(new SuppressionEntry("ada@example.com", SuppressionReason.Manual, DateTimeOffset.UnixEpoch));
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.DeleteAsync("/api/v1/suppressions/" + path);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"Got {response.StatusCode}.");
        Assert.NotNull(await store.GetAsync("ada@example.com"));
    }

    [Fact]
    public async Task Remove_AnAddressErasedOnRequest_409AndItStaysSuppressed()
    {
        await using var host = await ApiHost.StartAsync();
        using var admin = host.As(ApiHost.AdminKey);
        using var erased = await admin.PostAsync("/api/v1/erasures", ApiHost.JsonBody("""{"email":"gone@example.com"}"""));
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);

        using var response = await admin.DeleteAsync("/api/v1/suppressions/gone%40example.com");

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.Conflict, AicmoProblemTypes.Conflict);
        Assert.NotNull(await host.Services.GetRequiredService<ISuppressionList>().FindAsync("gone@example.com", host.Services.GetRequiredService<SuppressionHasher>()));
    }
}
