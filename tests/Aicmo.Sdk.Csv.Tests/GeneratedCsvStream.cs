using System.Globalization;
using System.Text;

namespace Aicmo.Sdk.Csv.Tests;

/// <summary>A read-only stream of generated CSV rows, made as it is read, so a test can pass a large file without holding it.</summary>
internal sealed class GeneratedCsvStream(int rows) : Stream
{
    private readonly byte[] _header = Encoding.UTF8.GetBytes("first_name,last_name,email,company,website,title,phone,employees,country,notes\n");
    private byte[] _pending = [];
    private int _offset;
    private int _next = -1;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public static string Row(int i) => string.Create(CultureInfo.InvariantCulture,
        $"First{i},Last{i},person{i}@company{i % 5000}.example,Company {i % 5000},company{i % 5000}.example,\"Head of Sales, EMEA\",+4420{i:D7},{i % 900 + 10},GB,note {i}\n");

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_offset == _pending.Length)
        {
            if (_next >= rows)
            {
                return 0;
            }

            _pending = _next < 0 ? _header : Encoding.UTF8.GetBytes(Row(_next));
            _offset = 0;
            _next++;
        }

        var n = Math.Min(count, _pending.Length - _offset);
        Array.Copy(_pending, _offset, buffer, offset, n);
        _offset += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
