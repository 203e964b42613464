using System.Globalization;
using System.Text;

namespace Aicmo.Sdk.Csv.Tests;

/// <summary>
/// A read-only CSV stream made as it is read: a header, one good row (line 2), a row whose <c>company</c> field opens a quote that
/// never closes (line 3), then <c>rowsAfter</c> rows without a quote, so a parser that honours the quote would take the rest of
/// the stream as one record.
/// </summary>
internal sealed class UnclosedQuoteCsvStream(int rowsAfter) : Stream
{
    private static readonly byte[] Start = Encoding.UTF8.GetBytes("email,company,notes\nok@example.com,Acme,fine\nbroken@example.com,\"Acme,the quote is never closed\n");
    private byte[] _pending = Start;
    private int _offset;
    private int _next;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The row on line <c>4 + i</c>.</summary>
    public static string Row(int i) => string.Create(CultureInfo.InvariantCulture, $"person{i}@company{i % 5000}.example,Company {i % 5000},note {i} with some padding text\n");

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_offset == _pending.Length)
        {
            if (_next >= rowsAfter)
            {
                return 0;
            }

            _pending = Encoding.UTF8.GetBytes(Row(_next++));
            _offset = 0;
        }

        var n = Math.Min(count, _pending.Length - _offset);
        Array.Copy(_pending, _offset, buffer, offset, n);
        _offset += n;
        BytesRead += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
