using System.Runtime.CompilerServices;
using System.Text;
using Aicmo.Sdk.Csv.Import.Internal;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using nietras.SeparatedValues;

namespace Aicmo.Sdk.Csv.Import;

/// <summary>
/// A lead source over a CSV file or stream: streamed record by record (memory stays flat however large the file), with the
/// header mapped to lead fields, every refused row yielded with its <see cref="LeadCandidate.RejectionReason"/>, and every
/// candidate positioned (<c>line N</c>) so a resumed run continues after the last row it took.
/// </summary>
/// <remarks>
/// The first record that is not blank is the header. Blank lines are not records and are passed over. A row is rejected when
/// its quoting is malformed, it has more or fewer fields than the header, a field is longer than
/// <see cref="CsvLeadSourceOptions.MaxFieldLength"/>, a field holds a refused control character (C0 other than tab, CR and
/// LF; U+0085, U+2028, U+2029) or bytes the encoding cannot decode, or a required field is empty. A header that is unusable
/// (a refused character, no column for a required field, longer than <see cref="CsvLeadSourceOptions.MaxRecordLength"/>)
/// fails the source with <see cref="InvalidDataException"/>.
/// A record longer than <see cref="CsvLeadSourceOptions.MaxRecordLength"/> (most often an unclosed quote that would swallow the
/// rest of the file) is rejected with the line it starts on, and reading resumes at the next line, outside quotes: the
/// stray quote sits on that line, and the lines after it read as they were written. Memory stays within a small multiple of
/// that limit whatever the file holds.
/// Records are parsed by Sep (the fastest of the parsers measured in <c>CsvParserBenchmarks</c>).
/// </remarks>
public sealed class CsvLeadSource : ILeadSource
{
    private readonly CsvLeadSourceOptions _options;
    private readonly Func<Stream> _open;
    private readonly Encoding _encoding;

    /// <summary>Creates a source over the file at <see cref="CsvLeadSourceOptions.Path"/>.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public CsvLeadSource(CsvLeadSourceOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates a source over a stream, opened anew by every read (and disposed by it).</summary>
    /// <param name="options">The options (<see cref="CsvLeadSourceOptions.Path"/> is not used).</param>
    /// <param name="openStream">Opens the stream to read.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public CsvLeadSource(CsvLeadSourceOptions options, Func<Stream>? openStream)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = CsvLeadSourceOptionsValidator.Check(options, requirePath: openStream is null);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        _options = options;
        var path = options.Path;
        _open = openStream ?? (() => new FileStream(path!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
        _encoding = CsvLeadSourceOptionsValidator.ResolveEncoding(options.Encoding)!;
        Name = options.SourceName ?? (openStream is null ? "csv:" + System.IO.Path.GetFileName(path) : "csv");
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The header is unusable.</exception>
    /// <exception cref="ArgumentException"><see cref="LeadSourceContext.ResumeAfter"/> is not a position this source wrote.</exception>
    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var resumeAfter = SourcePositions.ParseResumeAfter(context.ResumeAfter);
        var quoted = _options.Quoting == CsvQuoting.Rfc4180;
        var stream = _open();
        await using (stream.ConfigureAwait(false))
        {
            using var text = new StreamReader(stream, _encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            using var guard = new RecordLengthGuard(text, _options.MaxRecordLength, quoted);
            var sepOptions = Sep.New(_options.Delimiter).Reader(o => o with
            {
                HasHeader = false,
                DisableColCountCheck = true,
                DisableQuotesParsing = !quoted,
                Unescape = false,
            });
            CsvRowMapper? mapper = null;
            while (true)
            {
                // One Sep reader per stretch of text between records that passed the limit (usually one for the whole file).
                var offset = guard.FirstLine - 1;
                var firstRow = true;
                using (var reader = await sepOptions.FromAsync(guard, cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false))
                    {
                        // Sep 0.18 numbers its first row as if it started on line 2: that row starts on the text's first line.
                        var line = (firstRow ? 1 : reader.Current.LineNumberFrom) + offset;
                        firstRow = false;
                        if (guard.Tripped is { } tripped && line >= tripped.Line)
                        {
                            // The record Sep holds is cut at the limit; it is rejected below, whole.
                            break;
                        }

                        // Blank lines are not records; rows already taken by the run being resumed are parsed past, not mapped.
                        if (IsBlank(reader) || (mapper is not null && line <= resumeAfter))
                        {
                            continue;
                        }

                        if (mapper is null)
                        {
                            var headers = CsvRowMapper.ReadHeader(reader.Current, line, Name, quoted);
                            mapper = new CsvRowMapper(ColumnMap.Build(headers, _options, Name), _options, text.CurrentEncoding.WebName);
                            continue;
                        }

                        yield return mapper.Map(reader.Current, line);
                    }
                }

                if (guard.Tripped is not { } oversize)
                {
                    break;
                }

                if (mapper is null)
                {
                    throw new InvalidDataException($"{Name}: the header cannot be read: {oversize.Reason}.");
                }

                if (oversize.Line > resumeAfter)
                {
                    yield return CsvRowMapper.Reject(oversize);
                }

                await guard.ResyncAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsBlank(SepReader reader) => reader.Current.Span.IsWhiteSpace();

}
