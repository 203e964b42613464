using System.Text.Json;
using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Http.Sources;
using Aicmo.Sdk.Stages;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// Reading a paged people API into <see cref="LeadCandidate"/>s over real HTTP (Kestrel on loopback, in this process, pages of
/// 100 people built once). The baseline is the floor a host could write by hand: one <see cref="HttpClient"/>, the pages
/// read in turn, <see cref="JsonDocument"/> and the same eight fields mapped by name. <c>HttpLeadSource</c> is the shipped
/// source as a host registers it: <see cref="IHttpClientFactory"/>, the standard resilience pipeline (timeouts, retries,
/// circuit breaker), the endpoint guard, the response size limit, JSON-path mapping, the intake policy and positions.
/// Leads/s is people per second; read the Ratio and Alloc Ratio columns.
/// </summary>
[Config(typeof(HttpBenchmarkConfig))]
public class HttpLeadSourceBenchmarks
{
    private LoopbackPeopleApi? _api;
    private HttpClient? _client;
    private ServiceProvider? _services;
    private HttpLeadSource? _source;

    /// <summary>Gets or sets the people read per operation.</summary>
    [Params(10_000)]
    public int Leads { get; set; }

    [GlobalSetup]
    public async Task GlobalSetup()
    {
        _api = await LoopbackPeopleApi.StartAsync(Leads, pageSize: 100);
        _client = new HttpClient { BaseAddress = _api.BaseAddress };
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddHttpLeadSource("people", o =>
        {
            o.BaseAddress = _api.BaseAddress;
            o.Path = "people";
            o.ItemsPath = "people";
            o.PageSize = 100;
            o.Fields["externalId"] = "id";
            o.Fields["email"] = "email";
            o.Fields["firstName"] = "first_name";
            o.Fields["lastName"] = "last_name";
            o.Fields["title"] = "title";
            o.Fields["companyName"] = "organization.name";
            o.Fields["companyDomain"] = "organization.website_url";
            o.Fields["phone"] = "phone_numbers[0].number";
            o.Guard.AllowedPrivateEndpoints.Add(_api.Endpoint);
        });
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<IStartupValidator>().Validate();
        _source = _services.GetServices<ILeadSource>().OfType<HttpLeadSource>().Single();
    }

    [GlobalCleanup]
    public async Task GlobalCleanup()
    {
        _client?.Dispose();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true)]
    public async Task<long> HandWrittenHttpClient()
    {
        long count = 0;
        for (var page = 1; ; page++)
        {
            await using var stream = await _client!.GetStreamAsync($"people?page={page}&per_page=100");
            using var document = await JsonDocument.ParseAsync(stream);
            var people = document.RootElement.GetProperty("people");
            if (people.GetArrayLength() == 0)
            {
                break;
            }

            foreach (var p in people.EnumerateArray())
            {
                var organization = p.GetProperty("organization");
                var c = new LeadCandidate
                {
                    ExternalId = p.GetProperty("id").GetString(),
                    Email = p.GetProperty("email").GetString(),
                    FirstName = p.GetProperty("first_name").GetString(),
                    LastName = p.GetProperty("last_name").GetString(),
                    Title = p.GetProperty("title").GetString(),
                    CompanyName = organization.GetProperty("name").GetString(),
                    CompanyDomain = organization.GetProperty("website_url").GetString(),
                    Phone = p.GetProperty("phone_numbers")[0].GetProperty("number").GetString(),
                };
                count += c.Email!.Length > 0 ? 1 : 0;
            }

            if (people.GetArrayLength() < 100)
            {
                break;
            }
        }

        return Check(count);
    }

    [Benchmark]
    public async Task<long> HttpLeadSource()
    {
        long count = 0;
        await foreach (var c in _source!.ReadAsync(new LeadSourceContext(Guid.Empty, "bench", null), CancellationToken.None))
        {
            count += c.RejectionReason is null && c.Email is not null ? 1 : 0;
        }

        return Check(count);
    }

    private long Check(long count) => count == Leads ? count : throw new InvalidOperationException($"Read {count} people, expected {Leads}.");
}
