using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Http.Sources;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Http.Tests;

/// <summary>Builds an <see cref="HttpLeadSource"/> the way a host does (DI, IHttpClientFactory, the resilience pipeline, the guard) against a loopback server.</summary>
internal sealed class HttpSources : IDisposable
{
    private readonly ServiceProvider _provider;

    public HttpSources(LoopbackServer server, Action<HttpLeadSourceOptions>? configure = null, bool allowServer = true)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddHttpLeadSource("people-api", o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.Path = "people";
            o.ItemsPath = "people";
            o.PageSize = 2;
            o.Fields["externalId"] = "id";
            o.Fields["email"] = "email";
            o.Fields["firstName"] = "first_name";
            o.Fields["companyName"] = "organization.name";
            o.Fields["phone"] = "phone_numbers[0].number";
            o.Fields["attribute:seniority"] = "seniority";
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            if (allowServer)
            {
                o.Guard.AllowedPrivateEndpoints.Add(server.Endpoint);
            }

            configure?.Invoke(o);
        });
        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<IStartupValidator>().Validate();
        Source = _provider.GetServices<ILeadSource>().OfType<HttpLeadSource>().Single();
    }

    public HttpLeadSource Source { get; }

    public static string Person(int i) =>
        $$"""{"id":"p{{i}}","email":"person{{i}}@example.com","first_name":"First{{i}}","organization":{"name":"Org {{i}}"},"phone_numbers":[{"number":"+1415555{{i:D4}}"}],"seniority":"director"}""";

    public static string Page(IEnumerable<int> people, string? nextCursor = null) =>
        $$"""{"people":[{{string.Join(",", people.Select(Person))}}]{{(nextCursor is null ? "" : $",\"next_cursor\":\"{nextCursor}\"")}}}""";

    public async Task<List<LeadCandidate>> ReadAllAsync(string? resumeAfter = null)
    {
        var all = new List<LeadCandidate>();
        await foreach (var c in Source.ReadAsync(new LeadSourceContext(Guid.NewGuid(), "c1", null) { ResumeAfter = resumeAfter }, CancellationToken.None))
        {
            all.Add(c);
        }

        return all;
    }

    public void Dispose() => _provider.Dispose();
}
