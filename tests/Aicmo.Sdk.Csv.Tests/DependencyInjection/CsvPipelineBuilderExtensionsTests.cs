using System.Text;
using Aicmo.Sdk.Csv.Import;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Aicmo.Sdk.Csv.Tests.CsvTestFiles;

namespace Aicmo.Sdk.Csv.Tests.DependencyInjection;

public class CsvPipelineBuilderExtensionsTests
{
    [Fact]
    public async Task AddCsvLeadSource_BindsTheMappingFromConfiguration()
    {
        const string Json = """
            { "Csv": { "Delimiter": ";", "Columns": { "Firma": "attribute:firm" }, "RequiredFields": [ "email" ] } }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddCsvLeadSource(Fixture("semicolon.csv"), o => configuration.GetSection("Csv").Bind(o));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var source = Assert.Single(provider.GetServices<ILeadSource>().OfType<CsvLeadSource>());
        var row = Assert.Single(await ReadAllAsync(source));

        Assert.Equal("csv:semicolon.csv", source.Name);
        Assert.Equal("Müller; Söhne GmbH", row.Attributes!["firm"]);
        Assert.Null(row.CompanyName);
    }

    [Fact]
    public void AddCsvLeadSource_InvalidOptions_FailAtStartNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddCsvLeadSource("leads.csv", o =>
        {
            o.Encoding = "klingon-8";
            o.Delimiter = '"';
            o.MaxFieldLength = 0;
            o.Columns["x"] = "shoe_size";
            o.RequiredFields.Add("ignore");
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CsvLeadSourceOptions.Encoding \"klingon-8\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CsvLeadSourceOptions.Delimiter cannot be U+0022", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CsvLeadSourceOptions.MaxFieldLength must be between", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CsvLeadSourceOptions.Columns[\"x\"] maps to \"shoe_size\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CsvLeadSourceOptions.RequiredFields names \"ignore\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCsvLeadSource_TwoFiles_KeepTheirOwnOptions()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline()
            .AddCsvLeadSource(Fixture("hostile.csv"))
            .AddCsvLeadSource(Fixture("semicolon.csv"), o => o.Delimiter = ';');
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(["csv:hostile.csv", "csv:semicolon.csv"], provider.GetServices<ILeadSource>().OfType<CsvLeadSource>().Select(s => s.Name));
    }
}
