namespace Aicmo.Sdk.Http.Sources;

/// <summary>How a paged API is walked.</summary>
public enum HttpPagination
{
    /// <summary>A page number (<see cref="HttpLeadSourceOptions.PageParameter"/>, from <see cref="HttpLeadSourceOptions.FirstPage"/>) and a page size.</summary>
    Page,

    /// <summary>An item offset (<see cref="HttpLeadSourceOptions.OffsetParameter"/>, from 0) and a page size.</summary>
    Offset,

    /// <summary>An opaque cursor read from each response at <see cref="HttpLeadSourceOptions.NextCursorPath"/> and sent as <see cref="HttpLeadSourceOptions.CursorParameter"/>.</summary>
    Cursor,
}
