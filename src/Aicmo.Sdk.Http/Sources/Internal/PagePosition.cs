using System.Globalization;

namespace Aicmo.Sdk.Http.Sources.Internal;

/// <summary>
/// Where a record was read, as <see cref="Domain.LeadCandidate.SourcePosition"/>: <c>page 3 item 17</c>, <c>offset 217</c>
/// (the record's index from 0), or <c>cursor &lt;escaped cursor&gt; item 17</c> (the cursor the page was fetched with; empty for
/// the first page). Items count from 1 within their page.
/// </summary>
internal readonly record struct PagePosition(long Page, string? Cursor, long Item)
{
    public static string FormatPage(long page, long item) => string.Create(CultureInfo.InvariantCulture, $"page {page} item {item}");

    public static string FormatOffset(long offset) => string.Create(CultureInfo.InvariantCulture, $"offset {offset}");

    public static string FormatCursor(string? cursor, long item) => string.Create(CultureInfo.InvariantCulture, $"cursor {Uri.EscapeDataString(cursor ?? string.Empty)} item {item}");

    /// <summary>Reads a position this source wrote.</summary>
    /// <param name="position">The position.</param>
    /// <param name="pagination">The source's pagination.</param>
    /// <returns>The page (or offset) and cursor to fetch first, and how many of its items to pass over.</returns>
    /// <exception cref="ArgumentException">The position is not one this source writes.</exception>
    public static PagePosition ParseResumeAfter(string position, HttpPagination pagination)
    {
        var parts = position.Split(' ');
        switch (pagination)
        {
            case HttpPagination.Page when parts is ["page", var p, "item", var i] && long.TryParse(p, CultureInfo.InvariantCulture, out var page) && long.TryParse(i, CultureInfo.InvariantCulture, out var item):
                return new PagePosition(page, null, item);
            case HttpPagination.Offset when parts is ["offset", var o] && long.TryParse(o, CultureInfo.InvariantCulture, out var offset):
                return new PagePosition(offset + 1, null, 0);
            case HttpPagination.Cursor when parts is ["cursor", var c, "item", var i] && long.TryParse(i, CultureInfo.InvariantCulture, out var item):
                return new PagePosition(0, Uri.UnescapeDataString(c), item);
            default:
                throw new ArgumentException($"The resume position \"{position}\" is not a position of a {pagination}-paged HTTP source.", nameof(position));
        }
    }
}
