using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aicmo.Sdk.AspNetCore.Tests.Support;

namespace Aicmo.Sdk.AspNetCore.Tests.PublicApi;

/// <summary>
/// Pins the OpenAPI document the API serves. When a change is intended, run with <c>AICMO_ACCEPT_API=1</c> to rewrite
/// <c>openapi.approved.json</c>, and review the diff.
/// </summary>
public class OpenApiDocumentTests
{
    [Fact]
    public async Task OpenApiDocument_Is31AndMatchesTheApprovedSnapshot()
    {
        // With the scheduler, so the document describes the schedule endpoints too (they are mapped only when it is added).
        await using var host = await ApiHost.StartAsync(pipeline: p => p.AddScheduler(o => o.NurturePass = false));

        using var response = await host.Client.GetAsync("/api/v1/openapi/aicmo.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        document["servers"] = null;
        var actual = document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        var approvedPath = Path.Combine(SourceDirectory(), "openapi.approved.json");
        if (Environment.GetEnvironmentVariable("AICMO_ACCEPT_API") == "1")
        {
            await File.WriteAllTextAsync(approvedPath, actual);
        }

        Assert.True(File.Exists(approvedPath), $"No approved document at {approvedPath}; run with AICMO_ACCEPT_API=1 to create it.");
        var approved = (await File.ReadAllTextAsync(approvedPath)).ReplaceLineEndings("\n");
        if (approved != actual)
        {
            await File.WriteAllTextAsync(Path.ChangeExtension(approvedPath, ".received.json"), actual);
            Assert.Fail("The OpenAPI document changed; if intended, run the tests with AICMO_ACCEPT_API=1 and review the diff.");
        }

        foreach (var path in new[] { "/api/v1/campaigns", "/api/v1/campaigns/{id}", "/api/v1/campaigns/{id}/runs", "/api/v1/runs/{runId}", "/api/v1/runs/{runId}/events", "/api/v1/runs/{runId}/ws",
                     "/api/v1/suppressions", "/api/v1/suppressions/{email}", "/api/v1/erasures", "/api/v1/webhooks/email-events", "/api/v1/unsubscribe",
                     "/api/v1/schedules", "/api/v1/schedules/{id}", "/api/v1/schedules/{id}/occurrences", "/api/v1/schedules/{id}/jobs" })
        {
            Assert.True(document["paths"]![path] is not null, $"The document has no path {path}.");
        }
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
