using System.Globalization;
using System.Text;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Csv.Import;
using static Aicmo.Sdk.Csv.Tests.CsvTestFiles;

namespace Aicmo.Sdk.Csv.Tests.Import;

[Collection(MeasuredAlone.Name)]
public class CsvLeadSourceTests
{
    [Fact]
    public async Task CrmExport_MapsSpreadsheetHeadersToFields()
    {
        var rows = await ReadFixtureAsync("crm-export.csv");

        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Null(r.RejectionReason));
        var ada = rows[0];
        Assert.Equal("line 2", ada.SourcePosition);
        Assert.Equal(("Ada", "Lovelace", "ada@analytical.example"), (ada.FirstName, ada.LastName, ada.Email));
        Assert.Equal("Analytical Engines Ltd", ada.CompanyName);
        Assert.Equal("https://www.analytical.example/about", ada.CompanyDomain);
        Assert.Equal("CTO", ada.Title);
        Assert.Equal("+442071234567", ada.Phone);
        Assert.Equal(120, ada.CompanySize);
        Assert.Equal("GB", ada.Country);
    }

    [Fact]
    public async Task CrmExport_KeepsUnknownColumnsAsAttributesAndUnparsableNumbersAsText()
    {
        var rows = await ReadFixtureAsync("crm-export.csv");

        Assert.Equal("87", rows[0].Attributes!["Lead Score"]);
        Assert.Equal(1000, rows[1].CompanySize);
        Assert.Equal("said \"hello\"", rows[1].Attributes!["Lead Score"]);
        Assert.Null(rows[2].CompanySize);
        Assert.Equal("51-200", rows[2].Attributes!["company_size"]);
        Assert.Equal(("José", "Núñez", "Acme Ibérica"), (rows[2].FirstName, rows[2].LastName, rows[2].CompanyName));
    }

    [Fact]
    public async Task QuotedFieldWithCrlf_IsOneRecordPositionedAtItsFirstLine()
    {
        var rows = await ReadFixtureAsync("crm-export.csv");

        Assert.Equal("line 3", rows[1].SourcePosition);
        Assert.Equal("Rear Admiral\r\n(retired)", rows[1].Title);
        Assert.Equal("Navy, Inc.", rows[1].CompanyName);
        Assert.Equal("line 5", rows[2].SourcePosition);
    }

    [Fact]
    public async Task HostileFile_EveryRowEndsWhereExpectedWithItsReason()
    {
        var rows = await ReadFixtureAsync("hostile.csv", o => o.RequiredFields.Add("email"));

        var expected = new (string Position, string? Reason)[]
        {
            ("line 2", null),
            ("line 3", "line 3: 3 fields where the header has 5 columns"),
            ("line 4", "line 4: 6 fields where the header has 5 columns"),
            ("line 5", "line 5: column \"first_name\" contains a control character (U+0000)"),
            ("line 6", null),
            ("line 7", "line 7: column \"company\" contains a control character (U+2028)"),
            ("line 8", "line 8: column \"company\" has a quote out of place"),
            ("line 9", null),
            ("line 11", "line 11: required column \"email\" is empty"),
            ("line 13", "line 13: column \"first_name\" contains a control character (U+001B)"),
            ("line 14", null),
        };
        Assert.Equal(expected.Select(e => e.Position), rows.Select(r => r.SourcePosition));
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].Reason is null)
            {
                Assert.Null(rows[i].RejectionReason);
            }
            else
            {
                Assert.StartsWith(expected[i].Reason!, rows[i].RejectionReason, StringComparison.Ordinal);
            }
        }

        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"x\")", rows[4].Attributes!["notes"]);
        Assert.Equal("first line\nsecond line", rows[7].Attributes!["notes"]);
    }

    [Fact]
    public async Task RejectedRow_CarriesNoFieldValues()
    {
        var rows = await ReadFixtureAsync("hostile.csv");

        var nul = rows.Single(r => r.SourcePosition == "line 5");
        Assert.NotNull(nul.RejectionReason);
        Assert.Null(nul.FirstName);
        Assert.Null(nul.Email);
        Assert.Null(nul.Attributes);
    }

    [Fact]
    public async Task OneMegabyteField_IsRejectedAndTheNextRowIsRead()
    {
        var rows = await ReadFixtureAsync("oversize-field.csv");

        Assert.Equal(2, rows.Count);
        Assert.Equal("line 2: column \"notes\" is 1048576 characters long, over the limit of 65536 (MaxFieldLength)", rows[0].RejectionReason);
        Assert.Equal(("line 3", "small@example.com"), (rows[1].SourcePosition, rows[1].Email));
    }

    [Fact]
    public async Task OneMegabyteField_IsAcceptedUnderAHigherLimit()
    {
        var rows = await ReadFixtureAsync("oversize-field.csv", o => o.MaxFieldLength = 2 << 20);

        Assert.Equal(1 << 20, rows[0].Attributes!["notes"].Length);
    }

    [Fact]
    public async Task UnclosedQuote_RejectsTheRecordItSwallowedNamingItsLines()
    {
        var rows = await ReadFixtureAsync("unclosed-quote.csv");

        Assert.Equal(2, rows.Count);
        Assert.Null(rows[0].RejectionReason);
        Assert.Equal("line 3", rows[1].SourcePosition);
        Assert.Contains("column \"company\" has a quote out of place", rows[1].RejectionReason, StringComparison.Ordinal);
        Assert.Contains("runs on to line 4", rows[1].RejectionReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MixedEncodings_RowWithUndecodableBytesIsRejected()
    {
        var rows = await ReadFixtureAsync("mixed-encodings.csv");

        Assert.Equal(3, rows.Count);
        Assert.Equal("Zoë", rows[0].FirstName);
        Assert.Equal("line 3: column \"first_name\" holds bytes that are not valid utf-8 text (decoded as U+FFFD)", rows[1].RejectionReason);
        Assert.Equal("after@example.com", rows[2].Email);
    }

    [Fact]
    public async Task Windows1252File_IsDecodedWithTheConfiguredEncoding()
    {
        var rows = await ReadFixtureAsync("windows-1252.csv", o => o.Encoding = "windows-1252");

        Assert.Equal(("François", "Société Générale €"), (rows[0].FirstName, rows[0].CompanyName));
    }

    [Fact]
    public async Task ByteOrderMark_WinsOverTheConfiguredEncoding()
    {
        var rows = await ReadFixtureAsync("utf16-bom.csv", o => o.Encoding = "iso-8859-1");

        Assert.Equal(("u16@example.com", "Łukasz"), (rows[0].Email, rows[0].FirstName));
    }

    [Theory]
    [InlineData("empty.csv")]
    [InlineData("header-only.csv")]
    public async Task FileWithoutRecords_YieldsNothing(string fixture)
    {
        Assert.Empty(await ReadFixtureAsync(fixture));
    }

    [Fact]
    public async Task SemicolonExport_ReadsWithTheConfiguredDelimiterAndGermanHeaders()
    {
        var rows = await ReadFixtureAsync("semicolon.csv", o => o.Delimiter = ';');

        var k = Assert.Single(rows);
        Assert.Equal(("k@example.de", "Karl", "Müller", "Müller; Söhne GmbH"), (k.Email, k.FirstName, k.LastName, k.CompanyName));
    }

    [Fact]
    public async Task ExplicitMapping_OverridesRecognizedHeadersAndNamesAttributes()
    {
        var rows = await ReadFixtureAsync("crm-export.csv", o =>
        {
            o.Columns["Website"] = LeadColumnTargets.Ignore;
            o.Columns["lead_score"] = "attribute:score";
            o.Columns["Job Title"] = "attribute:role";
        });

        Assert.Null(rows[0].CompanyDomain);
        Assert.Equal("87", rows[0].Attributes!["score"]);
        Assert.Equal("CTO", rows[0].Attributes!["role"]);
        Assert.Null(rows[0].Title);
    }

    [Fact]
    public async Task UnknownColumns_AreDroppedWhenNotKept()
    {
        var rows = await ReadFixtureAsync("crm-export.csv", o => o.KeepUnknownColumns = false);

        Assert.Null(rows[0].Attributes);
    }

    [Fact]
    public async Task FullNameColumn_IsSplitIntoGivenAndFamilyNames()
    {
        var source = FromText("Name,E-mail\nMary Ann Smith,mary@example.com\nPrince,p@example.com\n");

        var rows = await ReadAllAsync(source);

        Assert.Equal(("Mary", "Ann Smith", "mary@example.com"), (rows[0].FirstName, rows[0].LastName, rows[0].Email));
        Assert.Equal(("Prince", null), (rows[1].FirstName, rows[1].LastName));
    }

    [Fact]
    public async Task QuotingNone_TreatsQuotesAsText()
    {
        var source = FromText("email,nickname\na@example.com,\"Ace\" Smith\n", o => o.Quoting = CsvQuoting.None);

        var row = Assert.Single(await ReadAllAsync(source));

        Assert.Null(row.RejectionReason);
        Assert.Equal("\"Ace\" Smith", row.Attributes!["nickname"]);
    }

    [Fact]
    public async Task RequiredFieldWithNoColumn_FailsTheSourceNamingTheField()
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => ReadFixtureAsync("semicolon.csv", o =>
        {
            o.Delimiter = ';';
            o.RequiredFields.Add("phone");
        }));

        Assert.Contains("required field \"phone\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeaderWithControlCharacter_FailsTheSource()
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(FromText("email,no\u0000te\na@example.com,x\n")));

        Assert.Contains("header column 2 (\"no\\U+0000te\") contains a control character (U+0000)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_ContinuesAtTheRowAfterTheGivenPosition()
    {
        var all = await ReadFixtureAsync("hostile.csv");

        var resumed = await ReadFixtureAsync("hostile.csv", resumeAfter: "line 9");

        Assert.Equal(["line 11", "line 13", "line 14"], resumed.Select(r => r.SourcePosition));
        Assert.Equal(all.SkipWhile(r => r.SourcePosition != "line 11").Select(r => r.RejectionReason), resumed.Select(r => r.RejectionReason));
    }

    [Fact]
    public async Task Resume_AfterTheLastRow_YieldsNothing()
    {
        Assert.Empty(await ReadFixtureAsync("hostile.csv", resumeAfter: "line 14"));
    }

    [Fact]
    public async Task Resume_FromAForeignPosition_FailsNamingIt()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => ReadFixtureAsync("hostile.csv", resumeAfter: "cursor abc"));

        Assert.Contains("\"cursor abc\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeStream_IsReadInFlatMemory()
    {
        const int Rows = 400_000;
        var source = new CsvLeadSource(new CsvLeadSourceOptions(), () => new GeneratedCsvStream(Rows));
        long count = 0;
        long peak = 0;

        // Measured above what the process already holds (buffers pooled by earlier tests stay in the shared pools).
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await foreach (var c in source.ReadAsync(Context(), CancellationToken.None))
        {
            if (++count % 50_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        Assert.Equal(Rows, count);

        // About 40 MB of CSV passes through; a reader that kept it would hold far more than this.
        Assert.True(peak < 16 * 1024 * 1024, $"peak managed heap {peak:N0} bytes above the {before:N0} held before");
    }

    [Fact]
    public async Task UnclosedQuoteInAHugeStream_RejectsItsLineAndReadsTheRestInFlatMemory()
    {
        // About 230 MB of CSV after the stray quote: Sep alone would hold all of it as one record.
        const int RowsAfter = 3_500_000;
        const int Limit = 1 << 20;
        var stream = new UnclosedQuoteCsvStream(RowsAfter);
        var source = new CsvLeadSource(new CsvLeadSourceOptions { MaxRecordLength = Limit }, () => stream);
        var rejected = new List<LeadCandidate>();
        LeadCandidate? first = null, last = null;
        long accepted = 0;
        long peak = 0;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await foreach (var c in source.ReadAsync(Context(), CancellationToken.None))
        {
            if (c.RejectionReason is not null)
            {
                rejected.Add(c);
            }
            else if (++accepted % 250_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }

            first ??= c;
            last = c;
        }

        Assert.True(stream.BytesRead > 200_000_000, $"{stream.BytesRead:N0} bytes read");
        Assert.Equal(RowsAfter + 1, accepted);
        Assert.Equal(("line 2", "ok@example.com"), (first!.SourcePosition, first.Email));
        var broken = Assert.Single(rejected);
        Assert.Equal(
            "line 3: unclosed quote starting at line 3: the record exceeds 1048576 characters (MaxRecordLength); line 3 is rejected and reading resumes at line 4, outside quotes",
            broken.RejectionReason);
        Assert.Equal(($"line {RowsAfter + 3}", $"person{RowsAfter - 1}@company{(RowsAfter - 1) % 5000}.example"), (last!.SourcePosition, last.Email));

        // The limit is 1 Mi characters: Sep's buffer and the text kept for the resync are a few MB; the stream is 230 MB.
        Assert.True(peak < 24 * 1024 * 1024, $"peak managed heap {peak:N0} bytes above the {before:N0} held before");
    }

    [Fact]
    public async Task UnclosedQuote_PastTheLimit_LinesAfterItAreReadWithTheirOwnNumbers()
    {
        var rows = await ReadAllAsync(FromText("email,company\nok@example.com,Acme\nbroken@example.com,\"Acme\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"p{i}@example.com,Co {i}\n")), SmallLimit));

        Assert.Equal(202, rows.Count);
        Assert.StartsWith("line 3: unclosed quote starting at line 3: the record exceeds 1024 characters", rows[1].RejectionReason, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(4, 200).Select(l => $"line {l}"), rows.Skip(2).Select(r => r.SourcePosition));
        Assert.All(rows.Skip(2), r => Assert.Null(r.RejectionReason));
        Assert.Equal(("p199@example.com", "Co 199"), (rows[^1].Email, rows[^1].CompanyName));
    }

    [Fact]
    public async Task LineLongerThanTheLimitWithoutAQuote_IsRejectedAndTheNextLineRead()
    {
        var rows = await ReadAllAsync(FromText("email,notes\r\na@example.com," + new string('x', 5000) + "\r\nb@example.com,short\r\n", SmallLimit));

        Assert.Equal(2, rows.Count);
        Assert.Equal("line 2: line 2 exceeds 1024 characters (MaxRecordLength) without a line break; it is rejected and reading resumes at the next line", rows[0].RejectionReason);
        Assert.Equal(("line 3", "b@example.com"), (rows[1].SourcePosition, rows[1].Email));
    }

    [Fact]
    public async Task RecordPastTheLimit_ResumedAfterIt_IsNotYieldedAgain()
    {
        var text = "email,company\nok@example.com,Acme\nbroken@example.com,\"Acme\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"p{i}@example.com,Co {i}\n"));

        var resumed = await ReadAllAsync(FromText(text, SmallLimit), resumeAfter: "line 3");

        Assert.Equal(Enumerable.Range(4, 100).Select(l => $"line {l}"), resumed.Select(r => r.SourcePosition));
    }

    [Fact]
    public async Task HeaderLongerThanTheLimit_FailsTheSource()
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(FromText("email,\"notes" + new string('x', 3000) + "\na@example.com,x\n", SmallLimit)));

        Assert.Contains("the header cannot be read: unclosed quote starting at line 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxRecordLength_ShorterThanMaxFieldLength_IsRefusedNamingBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CsvLeadSource(new CsvLeadSourceOptions { MaxRecordLength = 2048, MaxFieldLength = 4096 }, () => Stream.Null));

        Assert.Contains("CsvLeadSourceOptions.MaxRecordLength (2048) must be at least MaxFieldLength (4096)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_DefaultsToTheFileName()
    {
        Assert.Equal("csv:hostile.csv", new CsvLeadSource(new CsvLeadSourceOptions { Path = Fixture("hostile.csv") }).Name);
        Assert.Equal("crm", new CsvLeadSource(new CsvLeadSourceOptions { Path = "x.csv", SourceName = "crm" }).Name);
    }

    private static void SmallLimit(CsvLeadSourceOptions o) => (o.MaxRecordLength, o.MaxFieldLength) = (1024, 1024);

    private static CsvLeadSource FromText(string text, Action<CsvLeadSourceOptions>? configure = null)
    {
        var options = new CsvLeadSourceOptions();
        configure?.Invoke(options);
        return new CsvLeadSource(options, () => new MemoryStream(Encoding.UTF8.GetBytes(text)));
    }
}
