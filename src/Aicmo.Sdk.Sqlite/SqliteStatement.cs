using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Aicmo.Sdk.Sqlite;

/// <summary>
/// A statement prepared once on a connection and run many times through the native API: values are bound by position
/// (<c>?1</c>, <c>?2</c>, …) straight from spans, so a run allocates nothing. Used for the statements of the hot path; a
/// command of Microsoft.Data.Sqlite allocates a parameter, a binder, a reader and a timer per run.
/// </summary>
/// <remarks>
/// Owned by one <see cref="WriteContext"/> or <see cref="ReadContext"/> and used by one caller at a time. Errors are thrown as
/// <see cref="SqliteException"/> with SQLite's primary and extended codes, as Microsoft.Data.Sqlite reports them. A statement
/// waits for a lock held by another process through the connection's busy timeout (<c>PRAGMA busy_timeout</c>).
/// </remarks>
internal sealed class SqliteStatement : IDisposable
{
    private const int GuidLength = 36;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var stmt);
        if (rc != raw.SQLITE_OK)
        {
            stmt?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        _stmt = stmt!;
    }

    public SqliteStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_stmt, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, long? value) => value is { } v ? Bind(index, v) : BindNull(index);

    public SqliteStatement Bind(int index, string? value)
    {
        if (value is null)
        {
            return BindNull(index);
        }

        // UTF-16 straight from the string; SQLite converts it to the database's UTF-8 itself, with no managed copy. An empty
        // span would pass a null pointer, which SQLite binds as NULL: the empty string goes through a terminated buffer.
        Check(value.Length == 0 ? raw.sqlite3_bind_text(_stmt, index, string.Empty) : raw.sqlite3_bind_text16(_stmt, index, value.AsSpan()));
        return this;
    }

    /// <summary>Binds text already encoded as UTF-8 (SQLite copies it).</summary>
    public SqliteStatement BindUtf8(int index, ReadOnlySpan<byte> utf8)
    {
        Check(utf8.IsEmpty ? raw.sqlite3_bind_text(_stmt, index, string.Empty) : raw.sqlite3_bind_text(_stmt, index, utf8));
        return this;
    }

    /// <summary>Binds an id as the lower-case text the stores keep ids in (see <see cref="SqliteValues.Id"/>).</summary>
    public SqliteStatement Bind(int index, Guid value)
    {
        Span<byte> text = stackalloc byte[GuidLength];
        value.TryFormat(text, out var written, "D");
        return BindUtf8(index, text[..written]);
    }

    public SqliteStatement BindNull(int index)
    {
        Check(raw.sqlite3_bind_null(_stmt, index));
        return this;
    }

    /// <summary>Runs a statement that returns no rows, and returns how many rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_stmt);
            if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                Throw(rc);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_stmt);
        }
    }

    /// <summary>Runs a query; read its rows with <see cref="Rows.Read"/> and the column getters, then dispose the returned scope.</summary>
    public Rows Query() => new(this);

    public long GetInt64(int column) => raw.sqlite3_column_int64(_stmt, column);

    public int GetInt32(int column) => raw.sqlite3_column_int(_stmt, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(_stmt, column) == raw.SQLITE_NULL;

    public string GetString(int column)
    {
        var bytes = raw.sqlite3_column_blob(_stmt, column);
        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    public string? GetNullableString(int column) => IsNull(column) ? null : GetString(column);

    /// <summary>Gets a text column's UTF-8 bytes, valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> GetUtf8(int column) => raw.sqlite3_column_blob(_stmt, column);

    public Guid GetGuid(int column)
    {
        var bytes = raw.sqlite3_column_blob(_stmt, column);
        Span<char> text = stackalloc char[64];
        return bytes.Length <= text.Length && Encoding.UTF8.TryGetChars(bytes, text, out var written)
            ? Guid.Parse(text[..written])
            : Guid.Parse(Encoding.UTF8.GetString(bytes));
    }

    public void Dispose() => _stmt.Dispose();

    private bool Step()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            Throw(rc);
        }

        return false;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            raw.sqlite3_reset(_stmt);
            Throw(rc);
        }
    }

    private void Throw(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);

    /// <summary>The rows of a running query; disposing it resets the statement for its next run.</summary>
    public readonly struct Rows(SqliteStatement statement) : IDisposable
    {
        public bool Read() => statement.Step();

        public void Dispose() => raw.sqlite3_reset(statement._stmt);
    }
}
