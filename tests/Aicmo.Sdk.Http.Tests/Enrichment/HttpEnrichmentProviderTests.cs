using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Http.Enrichment;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Http.Tests.Enrichment;

public class HttpEnrichmentProviderTests
{
    private static readonly string[] Missing = [EnrichmentFields.Title, EnrichmentFields.CompanyName, EnrichmentFields.Industry, EnrichmentFields.CompanySize];

    [Fact]
    public async Task LookupByEmail_MapsTheAnswerToTheMissingFieldsOnly()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/v1/people/match", (string email) => email == "ada@analytical.example"
            ? Results.Text("""{"person":{"title":"CTO","organization":{"name":"Analytical","industry":"Software","estimated_num_employees":120,"country":"GB"},"score":0.93}}""", "application/json")
            : Results.NotFound()));
        using var host = Build(server, o => o.ConfidencePath = "score");

        var values = await host.Provider.LookupAsync(new Lead { Email = " Ada@Analytical.example " }, Missing, CancellationToken.None);

        Assert.Equal(
            [("title", "CTO"), ("companyName", "Analytical"), ("industry", "Software"), ("companySize", "120")],
            values.Select(v => (v.Field, v.Value)));
        Assert.All(values, v => Assert.Equal(0.93, v.Confidence));
        Assert.Equal("/v1/people/match?email=ada%40analytical.example", Assert.Single(server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task UnknownPerson_GivesNoValues()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/v1/people/match", () => Results.NotFound()));
        using var host = Build(server);

        Assert.Empty(await host.Provider.LookupAsync(new Lead { Email = "nobody@example.com" }, Missing, CancellationToken.None));
    }

    [Fact]
    public async Task LeadWithoutTheKey_OrNothingMissing_IsNotLookedUp()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/v1/people/match", () => Results.NotFound()));
        using var host = Build(server);

        Assert.Empty(await host.Provider.LookupAsync(new Lead { CompanyDomain = "acme.example" }, Missing, CancellationToken.None));
        Assert.Empty(await host.Provider.LookupAsync(new Lead { Email = "a@acme.example" }, [EnrichmentFields.Phone], CancellationToken.None));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task PostLookupByDomain_SendsTheTemplateAndIsNotRetriedUnlessIdempotent()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/enrich", () => Results.StatusCode(503)));
        using var host = Build(server, o =>
        {
            o.Method = "POST";
            o.Path = "enrich";
            o.LookupBy = HttpLookupKey.Domain;
            o.Body = """{"data":[{"website":"{domain}"}]}""";
        });

        await Assert.ThrowsAsync<HttpRequestException>(async () => await host.Provider.LookupAsync(new Lead { Email = "a@Acme.example" }, Missing, CancellationToken.None));

        Assert.Equal("""{"data":[{"website":"acme.example"}]}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task ValueWithAControlCharacter_IsDropped()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/v1/people/match", () =>
            Results.Text("""{"person":{"title":"C\u0000TO","organization":{"name":"Acme"}}}""", "application/json")));
        using var host = Build(server);

        var value = Assert.Single(await host.Provider.LookupAsync(new Lead { Email = "a@acme.example" }, Missing, CancellationToken.None));

        Assert.Equal(("companyName", "Acme"), (value.Field, value.Value));
    }

    private static ProviderHost Build(LoopbackServer server, Action<HttpEnrichmentProviderOptions>? configure = null) => new(server, configure);

    private sealed class ProviderHost : IDisposable
    {
        private readonly ServiceProvider _provider;

        public ProviderHost(LoopbackServer server, Action<HttpEnrichmentProviderOptions>? configure)
        {
            var services = new ServiceCollection();
            services.AddAicmoPipeline().AddHttpEnrichmentProvider("people-match", o =>
            {
                o.BaseAddress = server.BaseAddress;
                o.Path = "v1/people/match?email={email}";
                o.ResultPath = "person";
                o.Fields[EnrichmentFields.Title] = "title";
                o.Fields[EnrichmentFields.CompanyName] = "organization.name";
                o.Fields[EnrichmentFields.Industry] = "organization.industry";
                o.Fields[EnrichmentFields.CompanySize] = "organization.estimated_num_employees";
                o.Fields[EnrichmentFields.Country] = "organization.country";
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
                o.Guard.AllowedPrivateEndpoints.Add(server.Endpoint);
                configure?.Invoke(o);
            });
            _provider = services.BuildServiceProvider();
            _provider.GetRequiredService<IStartupValidator>().Validate();
            Provider = _provider.GetServices<IEnrichmentProvider>().OfType<HttpEnrichmentProvider>().Single();
        }

        public HttpEnrichmentProvider Provider { get; }

        public void Dispose() => _provider.Dispose();
    }
}
