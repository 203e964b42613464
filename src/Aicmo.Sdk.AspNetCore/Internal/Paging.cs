using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.Internal;

/// <summary>Parses <c>limit</c> and <c>cursor</c>: a limit from 1 to <see cref="AicmoApiOptions.MaxPageSize"/> (default 50), a cursor this API made.</summary>
internal static class Paging
{
    public const int DefaultLimit = 50;

    public static ProblemHttpResult? Check(HttpContext http, string? limit, string? cursor, AicmoApiOptions options, out int take, out string? after)
    {
        take = DefaultLimit;
        after = null;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > options.MaxPageSize))
        {
            return P.Validation(http, "limit", $"An integer from 1 to {options.MaxPageSize}.");
        }

        return Cursor.TryDecode(cursor, out after) ? null : P.Validation(http, "cursor", "Not a cursor this API returned.");
    }
}
