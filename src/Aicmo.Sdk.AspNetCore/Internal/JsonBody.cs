using System.Text.Json;
using System.Text.Json.Serialization;
using Aicmo.Sdk.AspNetCore.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Internal;

/// <summary>
/// Reads a JSON request body strictly: <c>application/json</c> only (415), at most <see cref="AicmoApiOptions.MaxRequestBodyBytes"/>
/// (413, whatever Content-Length claims), no unknown fields and no malformed JSON (400 naming the path).
/// </summary>
internal static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http)
        where T : class
    {
        if (!IsJson(http.Request.ContentType))
        {
            return (null, UnsupportedMediaType(http));
        }

        var (body, problem) = await ReadBytesAsync(http).ConfigureAwait(false);
        return problem is not null ? (null, problem) : Deserialize<T>(http, body);
    }

    /// <summary>Reads the raw body, at most <see cref="AicmoApiOptions.MaxRequestBodyBytes"/> (413 past it, whatever Content-Length claims).</summary>
    public static async Task<(ArraySegment<byte> Body, ProblemHttpResult? Problem)> ReadBytesAsync(HttpContext http)
    {
        var limit = http.RequestServices.GetRequiredService<IOptions<AicmoApiOptions>>().Value.MaxRequestBodyBytes;
        var request = http.Request;
        if (request.ContentLength > limit)
        {
            return (default, TooLarge(http, limit));
        }

        // Read at most limit + 1 bytes: a chunked body that goes past the limit is refused without being read to its end.
        var buffer = new byte[Math.Min(limit + 1, (int)(request.ContentLength ?? limit + 1))];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), http.RequestAborted).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read > limit ? (default, TooLarge(http, limit)) : (new ArraySegment<byte>(buffer, 0, read), null);
    }

    /// <summary>Deserializes a body read with <see cref="ReadBytesAsync"/>: 400 naming the path for malformed JSON or unknown fields.</summary>
    public static (T? Value, ProblemHttpResult? Problem) Deserialize<T>(HttpContext http, ReadOnlySpan<byte> body)
        where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Options);
            return value is null
                ? (null, Problems.Internal.Problems.Validation(http, "$", "The body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException e)
        {
            // The path names the field; the exception's own message may echo input, so only a fixed text goes out.
            var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            return (null, Problems.Internal.Problems.Create(http, StatusCodes.Status400BadRequest, AicmoProblemTypes.MalformedBody,
                "The body is not valid for this request.", $"{path}: malformed JSON, a value of the wrong type, or a field this endpoint does not know.",
                new Dictionary<string, string[]>(StringComparer.Ordinal) { [path] = ["Malformed JSON, a value of the wrong type, or an unknown field."] }));
        }
    }

    public static ProblemHttpResult UnsupportedMediaType(HttpContext http) =>
        Problems.Internal.Problems.Create(http, StatusCodes.Status415UnsupportedMediaType, AicmoProblemTypes.UnsupportedMediaType,
            "Unsupported media type.", "Send the body as application/json.");

    private static ProblemHttpResult TooLarge(HttpContext http, int limit) =>
        Problems.Internal.Problems.Create(http, StatusCodes.Status413PayloadTooLarge, AicmoProblemTypes.PayloadTooLarge, "Payload too large.",
            $"The body may be at most {limit} bytes.");

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var media = contentType.Split(';', 2)[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
