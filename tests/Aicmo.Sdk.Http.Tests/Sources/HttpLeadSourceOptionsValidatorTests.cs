using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Http.Tests.Sources;

public class HttpLeadSourceOptionsValidatorTests
{
    [Fact]
    public void InvalidOptions_FailAtStartNamingEachOption()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddHttpLeadSource("bad", o =>
        {
            o.BaseAddress = new Uri("ftp://example.com/");
            o.Method = "DELETE";
            o.Fields["shoeSize"] = "shoe.size";
            o.Fields["email"] = "emails[x]";
            o.AttemptTimeout = TimeSpan.FromSeconds(30);
            o.TotalTimeout = TimeSpan.FromSeconds(10);
            o.Headers["X-Api-Key"] = "abc\r\nInjected: 1";
            o.Guard.AllowedPrivateEndpoints.Add("not an endpoint");
        });
        using var provider = services.BuildServiceProvider();

        // The resilience pipeline's own options fail too (the same timeouts), so the start-up validator aggregates them.
        var ex = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var messages = ex is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : ex.Message;
        Assert.Contains(ex is AggregateException a ? a.InnerExceptions : [ex], e => e is OptionsValidationException { OptionsType.Name: "HttpLeadSourceOptions" });

        foreach (var expected in new[]
        {
            "HttpLeadSourceOptions.BaseAddress must be an absolute http or https address.",
            "HttpLeadSourceOptions.Path is required.",
            "HttpLeadSourceOptions.Method must be GET or POST",
            "HttpLeadSourceOptions.Fields[\"shoeSize\"]: \"shoeSize\" is not a lead field",
            "HttpLeadSourceOptions.Fields[\"email\"]: \"emails[x]\" is not a JSON path.",
            "HttpLeadSourceOptions.TotalTimeout must be longer than AttemptTimeout",
            "HttpLeadSourceOptions.Headers[\"X-Api-Key\"] holds a line break or NUL.",
            "HttpLeadSourceOptions.Guard.AllowedPrivateEndpoints entry \"not an endpoint\"",
        })
        {
            Assert.Contains(expected, messages, StringComparison.Ordinal);
        }
    }
}
