using System.Text;
using System.Text.Json;
using Aicmo.Sdk.Csv.Export;

namespace Aicmo.Sdk.Csv.Tests.Export;

public class LeadJsonLinesExporterTests
{
    [Fact]
    public async Task Export_WritesOneRawObjectPerLine()
    {
        var routed = ExportLeads.Routed();
        routed.FirstName = "=HYPERLINK(\"x\")";
        var leads = new[] { routed, ExportLeads.Quarantined() };
        using var stream = new MemoryStream();

        var written = await LeadJsonLinesExporter.WriteAsync(leads.ToAsyncEnumerable(), stream);

        Assert.Equal(2, written);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Empty, lines[2]);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("=HYPERLINK(\"x\")", root.GetProperty("firstName").GetString());
        Assert.Equal("Routed", root.GetProperty("status").GetString());
        Assert.Equal(82, root.GetProperty("score").GetProperty("value").GetDouble());
        Assert.Equal("intent", root.GetProperty("score").GetProperty("components")[1].GetProperty("signal").GetString());
        Assert.Equal(["score 82 >= 60", "has email"], root.GetProperty("qualification").GetProperty("reasons").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ae-emea", root.GetProperty("routing").GetProperty("owner").GetString());
        Assert.Equal("high", root.GetProperty("attributes").GetProperty("intent").GetString());
        Assert.Equal("clearbit-like", root.GetProperty("provenance").GetProperty("companyDomain").GetProperty("provider").GetString());
        Assert.Equal(12_500_000.5m, root.GetProperty("annualRevenue").GetDecimal());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("multi\nline \"quoted\", with comma", second.RootElement.GetProperty("fault").GetProperty("message").GetString());
    }
}
