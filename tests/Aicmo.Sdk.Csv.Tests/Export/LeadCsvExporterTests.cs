using System.Text;
using Aicmo.Sdk.Csv.Export;
using Aicmo.Sdk.Csv.Import;
using Aicmo.Sdk.Domain;
using static Aicmo.Sdk.Csv.Tests.CsvTestFiles;

namespace Aicmo.Sdk.Csv.Tests.Export;

public class LeadCsvExporterTests
{
    [Fact]
    public async Task Export_RoundTripsThroughTheCsvSource()
    {
        var leads = new[] { ExportLeads.Routed(), ExportLeads.Quarantined() };

        var csv = await ExportAsync(leads, new LeadExportOptions { NeutralizeFormulas = false, AttributeColumns = { "intent" } });
        var rows = await ReadAllAsync(new CsvLeadSource(new CsvLeadSourceOptions(), () => new MemoryStream(csv)));

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Null(r.RejectionReason));
        var ada = rows[0];
        var original = leads[0];
        Assert.Equal((original.FirstName, original.LastName, original.Email, original.Title, original.Phone), (ada.FirstName, ada.LastName, ada.Email, ada.Title, ada.Phone));
        Assert.Equal((original.CompanyName, original.CompanyDomain, original.Industry, original.CompanySize, original.Country, original.AnnualRevenue), (ada.CompanyName, ada.CompanyDomain, ada.Industry, ada.CompanySize, ada.Country, ada.AnnualRevenue));
        Assert.Equal((original.ExternalId, original.TimeZone), (ada.ExternalId, ada.TimeZone));
        Assert.Equal("Routed", ada.Attributes!["status"]);
        Assert.Equal("ae-emea", ada.Attributes["owner"]);
        Assert.Equal("82", ada.Attributes["score"]);
        Assert.Equal("fit +50; intent +32", ada.Attributes["score_components"]);
        Assert.Equal("score 82 >= 60; has email", ada.Attributes["qualification_reasons"]);
        Assert.Equal("high", ada.Attributes["intent"]);
        Assert.Equal("multi\nline \"quoted\", with comma", rows[1].Attributes!["fault"].Split(": ", 3)[2]);
    }

    [Fact]
    public async Task Export_NeutralizesFormulaCellsButKeepsE164Phones()
    {
        var lead = ExportLeads.Routed();
        lead.FirstName = "=HYPERLINK(\"http://evil.example\")";
        lead.LastName = "+SUM(A1)";
        lead.Title = "-2+3";
        lead.CompanyName = "@cmd";
        lead.Industry = "\tTabbed";
        lead.Country = "\rCR";
        lead.Phone = "+14155550123";
        lead.Attributes["intent"] = "=1+1";

        var rows = await ReadBackAsync(lead, new LeadExportOptions { AttributeColumns = { "intent" } });

        var row = Assert.Single(rows);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\")", row.FirstName);
        Assert.Equal("'+SUM(A1)", row.LastName);
        Assert.Equal("'-2+3", row.Title);
        Assert.Equal("'@cmd", row.CompanyName);
        Assert.Equal("'\tTabbed", row.Industry);
        Assert.Equal("'\rCR", row.Country);
        Assert.Equal("+14155550123", row.Phone);
        Assert.Equal("'=1+1", row.Attributes!["intent"]);
    }

    [Theory]
    [InlineData("+1 415 555 0123")]
    [InlineData("+1(415)5550123")]
    [InlineData("+0123456789")]
    [InlineData("+1234567890123456")]
    public async Task Export_NeutralizesPhonesThatAreNotE164(string phone)
    {
        var lead = ExportLeads.Routed();
        lead.Phone = phone;

        var row = Assert.Single(await ReadBackAsync(lead, new LeadExportOptions()));

        Assert.Equal("'" + phone, row.Phone);
    }

    [Fact]
    public async Task Export_WithNeutralizationOff_WritesCellsAsTheyAre()
    {
        var lead = ExportLeads.Routed();
        lead.FirstName = "=1+1";

        var row = Assert.Single(await ReadBackAsync(lead, new LeadExportOptions { NeutralizeFormulas = false }));

        Assert.Equal("=1+1", row.FirstName);
    }

    [Fact]
    public async Task Export_OfNoLeads_WritesTheHeaderOnly()
    {
        var csv = Encoding.UTF8.GetString(await ExportAsync([], new LeadExportOptions()));

        Assert.StartsWith("aicmo_id,campaign_id,source,external_id,status,first_name,last_name,email,", csv, StringComparison.Ordinal);
        Assert.Equal(1, csv.Count(c => c == '\n'));
    }

    [Fact]
    public async Task Export_WithByteOrderMark_StartsWithIt()
    {
        var csv = await ExportAsync([ExportLeads.Routed()], new LeadExportOptions { ByteOrderMark = true });

        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
    }

    [Fact]
    public async Task Export_ManyLeads_StreamsThemAll()
    {
        var count = await LeadCsvExporter.WriteAsync(ExportLeads.Many(20_000), Stream.Null);

        Assert.Equal(20_000, count);
    }

    private static async Task<List<LeadCandidate>> ReadBackAsync(Lead lead, LeadExportOptions options)
    {
        var csv = await ExportAsync([lead], options);
        return await ReadAllAsync(new CsvLeadSource(new CsvLeadSourceOptions { TrimValues = false }, () => new MemoryStream(csv)));
    }

    private static async Task<byte[]> ExportAsync(IEnumerable<Lead> leads, LeadExportOptions options)
    {
        using var stream = new MemoryStream();
        await LeadCsvExporter.WriteAsync(leads.ToAsyncEnumerable(), stream, options);
        return stream.ToArray();
    }
}
