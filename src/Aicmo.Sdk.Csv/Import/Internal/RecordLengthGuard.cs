using System.Buffers;

namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>
/// Sits between the decoded text and Sep and bounds the record Sep can be made to hold: it follows the quoting rules (a quote
/// toggles, a line break outside quotes ends a record) and, when one record grows past the limit, ends its text there, so Sep
/// holds at most the limit. The source then rejects that record and calls <see cref="ResyncAsync"/>, which continues at the line
/// after the line the record started on, outside quotes.
/// </summary>
/// <remarks>
/// Only records that span lines (a quoted line break, or an unclosed quote) are copied aside, and at most the limit of them:
/// those copies are what <see cref="ResyncAsync"/> replays from the record's second line. A record with no line break in it yet is
/// skipped to the next line break instead. Memory therefore stays within a small multiple of the limit, whatever the input.
/// </remarks>
internal sealed class RecordLengthGuard : TextReader
{
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\r\n");
    private static readonly SearchValues<char> UnquotedStops = SearchValues.Create("\r\n");

    private readonly TextReader _inner;
    private readonly int _maxRecordLength;
    private readonly SearchValues<char> _stops;

    private int _line = 1;
    private bool _atRecordStart = true;
    private bool _inQuote;
    private int _recordLine;
    private long _recordLength;
    private bool _recordSpansLines;

    // The current record's text after its first line break, kept only while a record spans lines.
    private char[]? _held;
    private int _heldCount;

    // Text being replayed after a resync; read before the inner reader.
    private char[]? _replay;
    private int _replayOffset;
    private int _replayCount;

    public RecordLengthGuard(TextReader inner, int maxRecordLength, bool quoted)
    {
        _inner = inner;
        _maxRecordLength = maxRecordLength;
        _stops = quoted ? QuotedStops : UnquotedStops;
    }

    /// <summary>Gets the record that passed the limit, once one has (the text then ends until <see cref="ResyncAsync"/>).</summary>
    public OversizeRecord? Tripped { get; private set; }

    /// <summary>Gets the line the text starts on after the last <see cref="ResyncAsync"/> (1 before any).</summary>
    public int FirstLine { get; private set; } = 1;

    public override int Read(Span<char> buffer)
    {
        if (Tripped is not null || buffer.IsEmpty)
        {
            return 0;
        }

        int read;
        if (_replayCount > _replayOffset)
        {
            read = Math.Min(buffer.Length, _replayCount - _replayOffset);
            _replay.AsSpan(_replayOffset, read).CopyTo(buffer);
            _replayOffset += read;
        }
        else
        {
            read = _inner.Read(buffer);
        }

        return Scan(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        if (Tripped is not null || buffer.IsEmpty)
        {
            return 0;
        }

        if (_replayCount > _replayOffset)
        {
            return Read(buffer.Span);
        }

        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Scan(buffer.Span[..read]);
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override Task<int> ReadAsync(char[] buffer, int index, int count) => ReadAsync(buffer.AsMemory(index, count)).AsTask();

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override int Peek() => throw new NotSupportedException("The record guard is read in blocks.");

    /// <summary>Continues after a tripped record: at the line after the one it started on, outside quotes.</summary>
    /// <param name="cancellationToken">A token to stop skipping.</param>
    /// <returns>A task that completes once the guard is ready to be read again.</returns>
    public async ValueTask ResyncAsync(CancellationToken cancellationToken)
    {
        var tripped = Tripped ?? throw new InvalidOperationException("No record passed the limit.");

        // What was read and not yet scanned: the text held from the record (and the rest of the block it tripped in), then
        // whatever was still waiting to be replayed.
        var pending = new char[_heldCount + (_replayCount - _replayOffset)];
        _held.AsSpan(0, _heldCount).CopyTo(pending);
        _replay.AsSpan(_replayOffset, _replayCount - _replayOffset).CopyTo(pending.AsSpan(_heldCount));
        var from = 0;
        if (!_recordSpansLines)
        {
            // One line longer than the limit: what is left of it is read past, up to its line break.
            var newline = pending.AsSpan().IndexOf('\n');
            if (newline >= 0)
            {
                from = newline + 1;
            }
            else
            {
                pending = await SkipLineAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // Otherwise the record's text from its second line is replayed: those lines were only swallowed by the first line's quote.
        _replay = pending;
        _replayOffset = from;
        _replayCount = pending.Length;
        _held = null;
        _heldCount = 0;
        _line = tripped.Line + 1;
        FirstLine = _line;
        _atRecordStart = true;
        _inQuote = false;
        _recordSpansLines = false;
        Tripped = null;
    }

    protected override void Dispose(bool disposing)
    {
        // The inner reader belongs to the source, which disposes it; Sep disposing its reader must not close the file.
    }

    // Reads past the rest of an overlong line; returns what follows its line break in the block that holds it.
    private async ValueTask<char[]> SkipLineAsync(CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<char>.Shared.Rent(1 << 16);
        try
        {
            while (true)
            {
                var read = await _inner.ReadAsync(scratch.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return [];
                }

                var newline = scratch.AsSpan(0, read).IndexOf('\n');
                if (newline >= 0)
                {
                    return scratch.AsSpan(newline + 1, read - newline - 1).ToArray();
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    // Follows the quoting over the block; returns how much of it Sep may see (all of it unless a record passes the limit).
    private int Scan(Span<char> block)
    {
        var i = 0;
        while (i < block.Length)
        {
            if (_atRecordStart)
            {
                _atRecordStart = false;
                _recordLine = _line;
                _recordLength = 0;
                _recordSpansLines = false;
                _heldCount = 0;
            }

            var next = block[i..].IndexOfAny(_stops);
            var end = next < 0 ? block.Length : i + next + 1;
            if (_recordLength + (end - i) > _maxRecordLength)
            {
                // Sep sees the record up to the limit; the rest of the block is kept for the resync.
                Tripped = new OversizeRecord(_recordLine, _inQuote, _maxRecordLength);
                Hold(block[i..]);
                return i + (int)(_maxRecordLength - _recordLength);
            }

            _recordLength += end - i;
            if (_recordSpansLines)
            {
                Hold(block[i..end]);
            }

            if (next < 0)
            {
                break;
            }

            var c = block[end - 1];
            if (c == '"')
            {
                _inQuote = !_inQuote;
            }
            else if (!_inQuote)
            {
                if (c == '\n')
                {
                    _line++;
                }

                _atRecordStart = true;
            }
            else if (c == '\n')
            {
                _line++;
                _recordSpansLines = true;
            }

            i = end;
        }

        return block.Length;
    }

    private void Hold(ReadOnlySpan<char> text)
    {
        if (_held is null || _heldCount + text.Length > _held.Length)
        {
            var grown = new char[Math.Max(_heldCount + text.Length, Math.Min(_maxRecordLength, Math.Max(4096, (_held?.Length ?? 0) * 2)))];
            _held.AsSpan(0, _heldCount).CopyTo(grown);
            _held = grown;
        }

        text.CopyTo(_held.AsSpan(_heldCount));
        _heldCount += text.Length;
    }
}
