using System.Text.Json;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>Deep comparisons for stored values: records holding lists compare by reference, so the suites compare what was stored field by field.</summary>
public static class ContractAssert
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Asserts that two leads hold the same data (instants compared as instants).</summary>
    /// <param name="expected">The lead that was stored.</param>
    /// <param name="actual">The lead read back.</param>
    public static void LeadEqual(Lead expected, Lead? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.CampaignId, actual.CampaignId);
        Assert.Equal(expected.IdentityKey, actual.IdentityKey);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.ExternalId, actual.ExternalId);
        Assert.Equal(expected.RunId, actual.RunId);
        Assert.Equal(expected.FirstName, actual.FirstName);
        Assert.Equal(expected.LastName, actual.LastName);
        Assert.Equal(expected.Email, actual.Email);
        Assert.Equal(expected.Title, actual.Title);
        Assert.Equal(expected.Phone, actual.Phone);
        Assert.Equal(expected.TimeZone, actual.TimeZone);
        Assert.Equal(expected.CompanyName, actual.CompanyName);
        Assert.Equal(expected.CompanyDomain, actual.CompanyDomain);
        Assert.Equal(expected.Industry, actual.Industry);
        Assert.Equal(expected.CompanySize, actual.CompanySize);
        Assert.Equal(expected.Country, actual.Country);
        Assert.Equal(expected.AnnualRevenue, actual.AnnualRevenue);
        Assert.Equal(Sorted(expected.HasAttributes ? expected.Attributes : null), Sorted(actual.HasAttributes ? actual.Attributes : null));
        Assert.Equal(
            Sorted(expected.HasProvenance ? expected.Provenance : null, p => p),
            Sorted(actual.HasProvenance ? actual.Provenance : null, p => p));
        Assert.Equal(Canonical(expected.Score), Canonical(actual.Score));
        Assert.Equal(Canonical(expected.Qualification), Canonical(actual.Qualification));
        Assert.Equal(expected.Routing, actual.Routing);
        Assert.Equal(expected.Nurture, actual.Nurture);
        Assert.Equal(expected.Consent, actual.Consent);
        Assert.Equal(expected.Fault, actual.Fault);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.Version, actual.Version);
    }

    /// <summary>Asserts that two run records hold the same data, including every stage's counts and every error.</summary>
    /// <param name="expected">The record that was stored.</param>
    /// <param name="actual">The record read back.</param>
    public static void RunEqual(RunRecord expected, RunRecord? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected with { Stages = [], Errors = [] }, actual with { Stages = [], Errors = [] });
        Assert.Equal(expected.Stages, actual.Stages);
        Assert.Equal(expected.Errors, actual.Errors);
    }

    private static List<KeyValuePair<string, string>>? Sorted(IDictionary<string, string>? map) =>
        map?.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();

    private static List<KeyValuePair<string, T>>? Sorted<T>(IDictionary<string, T>? map, Func<T, T> select) =>
        map?.Select(p => new KeyValuePair<string, T>(p.Key, select(p.Value))).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();

    private static string Canonical<T>(T? value)
        where T : class => value is null ? "null" : JsonSerializer.Serialize(value, Json);
}
