using System.Text.Json;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Http.Enrichment;
using Aicmo.Sdk.Stages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Http.Tests.Enrichment;

public class HttpEnrichmentBatchTests
{
    private static readonly string[] Missing = [EnrichmentFields.Title, EnrichmentFields.CompanyName];

    [Fact]
    public async Task ConcurrentLookups_GoAsOneRequest_AndEachLeadGetsItsOwnAnswer()
    {
        // The API answers in its own order (reversed), each result naming the email it is for.
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/people/bulk_match", async (HttpRequest request) =>
        {
            var emails = await EmailsAsync(request);
            var matches = emails.AsEnumerable().Reverse().Select(e => $$$"""{"email":"{{{e}}}","title":"Title of {{{e}}}","organization":{"name":"Org of {{{e}}}"}}""");
            return Results.Text($$"""{"matches":[{{string.Join(",", matches)}}]}""", "application/json");
        }));
        using var host = new BatchHost(server, o => o.BatchMatchPath = "email");
        var leads = Enumerable.Range(0, 5).Select(i => new Lead { Email = $"Person{i}@Example.com" }).ToList();

        var answers = await Task.WhenAll(leads.Select(l => host.Provider.LookupAsync(l, Missing, CancellationToken.None).AsTask()));

        var request = Assert.Single(server.Requests);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"person{i}@example.com").Order(), (await EmailsAsync(request.Body)).Order());
        for (var i = 0; i < leads.Count; i++)
        {
            Assert.Equal(
                [("title", $"Title of person{i}@example.com"), ("companyName", $"Org of person{i}@example.com")],
                answers[i].Select(v => (v.Field, v.Value)));
        }
    }

    [Fact]
    public async Task KeyWithAnErrorOrNoResult_FailsOrEmptiesThatLeadAlone()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/people/bulk_match", () => Results.Text(
            """{"matches":[{"email":"ok@example.com","title":"CTO"},{"email":"bad@example.com","error":"quota exceeded for this record"}]}""", "application/json")));
        using var host = new BatchHost(server, o => (o.BatchMatchPath, o.BatchErrorPath, o.MaxBatchSize) = ("email", "error", 3));

        var ok = host.Provider.LookupAsync(new Lead { Email = "ok@example.com" }, Missing, CancellationToken.None).AsTask();
        var bad = host.Provider.LookupAsync(new Lead { Email = "bad@example.com" }, Missing, CancellationToken.None).AsTask();
        var unknown = host.Provider.LookupAsync(new Lead { Email = "unknown@example.com" }, Missing, CancellationToken.None).AsTask();

        Assert.Equal(("title", "CTO"), (Assert.Single(await ok).Field, Assert.Single(await ok).Value));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => bad);
        Assert.Contains("the API reported an error for this lead: quota exceeded for this record", error.Message, StringComparison.Ordinal);
        Assert.Empty(await unknown);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ResultsByPosition_WithAWrongCount_FailEveryLookupOfTheBatch()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/people/bulk_match", () => Results.Text(
            """{"matches":[{"title":"CTO"}]}""", "application/json")));
        using var host = new BatchHost(server, o => o.MaxBatchSize = 2);

        var first = host.Provider.LookupAsync(new Lead { Email = "a@example.com" }, Missing, CancellationToken.None).AsTask();
        var second = host.Provider.LookupAsync(new Lead { Email = "b@example.com" }, Missing, CancellationToken.None).AsTask();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => first);
        Assert.Contains("1 results for 2 lookups, so they cannot be matched by position", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidDataException>(() => second);
    }

    [Fact]
    public async Task BatchNotFull_GoesWhenTheWindowEnds()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/people/bulk_match", async (HttpRequest request) =>
        {
            var emails = await EmailsAsync(request);
            return Results.Text($$"""{"matches":[{{string.Join(",", emails.Select(e => $$"""{"title":"T {{e}}"}"""))}}]}""", "application/json");
        }));
        using var host = new BatchHost(server, o => (o.MaxBatchSize, o.BatchWindow) = (100, TimeSpan.FromMilliseconds(50)));

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            host.Provider.LookupAsync(new Lead { Email = $"p{i}@example.com" }, Missing, CancellationToken.None).AsTask()));

        Assert.Single(server.Requests);
        Assert.Equal(["T p0@example.com", "T p1@example.com", "T p2@example.com"], answers.Select(a => Assert.Single(a).Value));
    }

    [Fact]
    public async Task Waterfall_EnrichingLeadsConcurrently_FillsEachFromOneBatchWithTheProvidersProvenance()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/people/bulk_match", async (HttpRequest request) =>
        {
            var emails = await EmailsAsync(request);
            return Results.Text($$"""{"matches":[{{string.Join(",", emails.Select(e => $$"""{"email":"{{e}}","title":"Title of {{e}}"}"""))}}]}""", "application/json");
        }));
        using var host = new BatchHost(server, o => (o.BatchMatchPath, o.MaxBatchSize) = ("email", 4));
        var waterfall = new WaterfallEnricher(new WaterfallEnricherOptions { InferFromLead = false }, [host.Provider]);
        var context = new StageContext(Guid.NewGuid(), "c1", StageNames.Enrich, TimeProvider.System, dryRun: false);
        var leads = Enumerable.Range(0, 4).Select(i => new Lead { Id = Guid.NewGuid(), IdentityKey = $"e:p{i}@example.com", Email = $"p{i}@example.com" }).ToList();

        await Task.WhenAll(leads.Select(l => waterfall.EnrichAsync(l, context, CancellationToken.None).AsTask()));

        Assert.Single(server.Requests);
        Assert.All(leads, l =>
        {
            Assert.Equal($"Title of {l.Email}", l.Title);
            Assert.Equal("people-bulk", l.Provenance[EnrichmentFields.Title].Provider);
        });
    }

    [Fact]
    public void BatchOptions_AreValidatedNamingTheOption()
    {
        var options = new HttpEnrichmentProviderOptions { BaseAddress = new Uri("https://api.example.com/"), BatchPath = "bulk", BatchItem = """{"domain":"{domain}"}""", MaxBatchSize = 0 };
        options.Fields[EnrichmentFields.Title] = "title";

        var failures = new HttpEnrichmentProviderOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains("HttpEnrichmentProviderOptions.BatchItem must contain {email} (LookupBy is Email).", failures);
        Assert.Contains("HttpEnrichmentProviderOptions.MaxBatchSize must be between 1 and 10000 (was 0).", failures);
        Assert.DoesNotContain(failures, f => f.Contains("Path is required", StringComparison.Ordinal));
    }

    private static async Task<List<string>> EmailsAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return await EmailsAsync(await reader.ReadToEndAsync());
    }

    private static Task<List<string>> EmailsAsync(string body)
    {
        using var document = JsonDocument.Parse(body);
        return Task.FromResult(document.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("email").GetString()!).ToList());
    }

    private sealed class BatchHost : IDisposable
    {
        private readonly ServiceProvider _provider;

        public BatchHost(LoopbackServer server, Action<HttpEnrichmentProviderOptions> configure)
        {
            var services = new ServiceCollection();
            services.AddAicmoPipeline().AddHttpEnrichmentProvider("people-bulk", o =>
            {
                o.BaseAddress = server.BaseAddress;
                o.BatchPath = "v1/people/bulk_match";
                o.BatchBody = """{"details":[{items}]}""";
                o.BatchItem = """{"email":"{email}"}""";
                o.BatchResultsPath = "matches";
                o.MaxBatchSize = 5;
                o.BatchWindow = TimeSpan.FromSeconds(5);
                o.IdempotentPost = true;
                o.Fields[EnrichmentFields.Title] = "title";
                o.Fields[EnrichmentFields.CompanyName] = "organization.name";
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
                o.Guard.AllowedPrivateEndpoints.Add(server.Endpoint);
                configure(o);
            });
            _provider = services.BuildServiceProvider();
            _provider.GetRequiredService<IStartupValidator>().Validate();
            Provider = _provider.GetServices<IEnrichmentProvider>().OfType<HttpEnrichmentProvider>().Single();
        }

        public HttpEnrichmentProvider Provider { get; }

        public void Dispose() => _provider.Dispose();
    }
}
