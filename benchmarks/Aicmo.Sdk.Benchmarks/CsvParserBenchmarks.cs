using System.Globalization;
using System.Text;
using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Csv.Import;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using CsvHelper;
using nietras.SeparatedValues;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// Parse + map throughput of a CRM-style CSV export (10 columns, one quoted field with a comma per row, UTF-8 bytes in memory
/// decoded by a <see cref="StreamReader"/>, except for CsvHelper 34 which decodes UTF-8 itself) into <see cref="LeadCandidate"/>s. The three parser rows do the same
/// minimal mapping by header index (the parser's own cost plus the unavoidable string and candidate allocations); the
/// <c>CsvLeadSource</c> row is the shipped source with everything it adds (quoting checks, length and control-character
/// checks, header aliases, positions, the async enumerator). Leads/s is rows per second.
/// </summary>
[Config(typeof(CsvParserConfig))]
public class CsvParserBenchmarks
{
    private byte[] _csv = [];

    /// <summary>Gets or sets the rows per operation.</summary>
    [Params(100_000)]
    public int Leads { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        var text = new StringBuilder("first_name,last_name,email,company,website,title,phone,employees,country,notes\n");
        for (var i = 0; i < Leads; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"First{i},Last{i},person{i}@company{i % 5000}.example,Company {i % 5000},company{i % 5000}.example,\"Head of Sales, EMEA\",+4420{i:D7},{i % 900 + 10},GB,note {i}\n");
        }

        _csv = Encoding.UTF8.GetBytes(text.ToString());
    }

    [Benchmark(Baseline = true)]
    public long Sep()
    {
        using var text = Open();
        using var reader = nietras.SeparatedValues.Sep.New(',').Reader(o => o with { Unescape = true }).From(text);
        long sum = 0;
        foreach (var row in reader)
        {
            var c = new LeadCandidate
            {
                FirstName = row[0].ToString(),
                LastName = row[1].ToString(),
                Email = row[2].ToString(),
                CompanyName = row[3].ToString(),
                CompanyDomain = row[4].ToString(),
                Title = row[5].ToString(),
                Phone = row[6].ToString(),
                CompanySize = int.Parse(row[7].Span, CultureInfo.InvariantCulture),
                Country = row[8].ToString(),
                Attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["notes"] = row[9].ToString() },
            };
            sum += c.Email.Length;
        }

        return Checked(sum);
    }

    [Benchmark]
    public long Sylvan()
    {
        using var text = Open();
        using var reader = global::Sylvan.Data.Csv.CsvDataReader.Create(text);
        long sum = 0;
        while (reader.Read())
        {
            var c = new LeadCandidate
            {
                FirstName = reader.GetString(0),
                LastName = reader.GetString(1),
                Email = reader.GetString(2),
                CompanyName = reader.GetString(3),
                CompanyDomain = reader.GetString(4),
                Title = reader.GetString(5),
                Phone = reader.GetString(6),
                CompanySize = reader.GetInt32(7),
                Country = reader.GetString(8),
                Attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["notes"] = reader.GetString(9) },
            };
            sum += c.Email.Length;
        }

        return Checked(sum);
    }

    // CsvHelper 34 reads UTF-8 bytes itself, so it gets the stream rather than a StreamReader: its best path.
    [Benchmark]
    public long CsvHelper()
    {
        using var reader = CsvReader.Create(new MemoryStream(_csv, writable: false), new CsvReaderOptions { HasHeader = true }, leaveOpen: false);
        long sum = 0;
        while (reader.Read())
        {
            var c = new LeadCandidate
            {
                FirstName = reader.GetString(0),
                LastName = reader.GetString(1),
                Email = reader.GetString(2),
                CompanyName = reader.GetString(3),
                CompanyDomain = reader.GetString(4),
                Title = reader.GetString(5),
                Phone = reader.GetString(6),
                CompanySize = reader.Parse<int>(7, CultureInfo.InvariantCulture),
                Country = reader.GetString(8),
                Attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["notes"] = reader.GetString(9) },
            };
            sum += c.Email.Length;
        }

        return Checked(sum);
    }

    [Benchmark]
    public async Task<long> CsvLeadSource()
    {
        var source = new CsvLeadSource(new CsvLeadSourceOptions(), () => new MemoryStream(_csv, writable: false));
        long sum = 0;
        await foreach (var c in source.ReadAsync(new LeadSourceContext(Guid.Empty, "bench", null), CancellationToken.None))
        {
            sum += c.Email!.Length;
        }

        return Checked(sum);
    }

    // Every email of the generated file is at least 20 characters; a parser that lost rows or fields fails the run.
    private long Checked(long sum)
    {
        Check.True(sum >= 20L * Leads, "every row was parsed and mapped");
        return sum;
    }

    private StreamReader Open() => new(new MemoryStream(_csv, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);

    private sealed class CsvParserConfig : ManualConfig
    {
        public CsvParserConfig()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithId("Csv"));
            AddDiagnoser(MemoryDiagnoser.Default);
            AddColumn(new PerLeadColumn(allocation: false), new PerLeadColumn(allocation: true));
        }
    }
}
