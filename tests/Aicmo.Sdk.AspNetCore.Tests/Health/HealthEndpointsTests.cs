using System.Net;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.AspNetCore.Tests.Health;

public class HealthEndpointsTests
{
    [Theory]
    [InlineData("/api/v1/health")]
    [InlineData("/api/v1/health/ready")]
    [InlineData("/api/v1/health/live")]
    public async Task Health_OnSqlite_IsHealthyWithoutAKey(string url)
    {
        var file = Path.Combine(Path.GetTempPath(), "aicmo-health-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            await using var host = await ApiHost.StartAsync(pipeline: p => p.UseSqlite("Data Source=" + file));

            using var response = await host.Client.GetAsync(url);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await ApiHost.ReadJsonAsync(response);
            Assert.Equal("Healthy", body.GetProperty("status").GetString());
            var checks = body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
            if (url.EndsWith("/live", StringComparison.Ordinal))
            {
                Assert.Empty(checks);
            }
            else
            {
                Assert.Contains("aicmo-sqlite", checks);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*"))
            {
                File.Delete(f);
            }
        }
    }

    [Fact]
    public async Task Ready_StoreUnreachable_Returns503ButLiveStays200()
    {
        // A directory where the database file should be: SQLite cannot open it.
        var dir = Directory.CreateTempSubdirectory("aicmo-health-").FullName;
        try
        {
            await using var host = await ApiHost.StartAsync(pipeline: p => p.UseSqlite("Data Source=" + dir));

            using var ready = await host.Client.GetAsync("/api/v1/health/ready");
            using var live = await host.Client.GetAsync("/api/v1/health/live");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var body = await ApiHost.ReadJsonAsync(ready);
            Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
            Assert.DoesNotContain(dir, body.GetRawText(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
