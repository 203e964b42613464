using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>
/// Serves the dashboard page from resources embedded in this assembly (no CDN, no files on disk): <c>index.html</c>, one JavaScript
/// module and one stylesheet. Every response carries a content security policy that allows scripts and styles from this origin only
/// (no inline script), and forbids framing; the page has no data of its own, everything it shows it reads from the API.
/// </summary>
internal static class DashboardAssets
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, DashboardAsset> Files = new(StringComparer.Ordinal)
    {
        ["dashboard.js"] = Load("dashboard.js", "text/javascript; charset=utf-8"),
        ["dashboard.css"] = Load("dashboard.css", "text/css; charset=utf-8"),
    };

    private static readonly string IndexTemplate = Encoding.UTF8.GetString(Load("index.html", "text/html").Content);

    public static bool TryGet(string name, out DashboardAsset asset) => Files.TryGetValue(name, out asset!);

    /// <summary>The page, with the paths of its assets and of the API written into it (attribute-encoded).</summary>
    public static DashboardAsset Index(string basePath, string apiPath)
    {
        var html = IndexTemplate
            .Replace("{{base}}", HtmlEncoder.Default.Encode(basePath), StringComparison.Ordinal)
            .Replace("{{api}}", HtmlEncoder.Default.Encode(apiPath), StringComparison.Ordinal)
            .Replace("{{version}}", Files["dashboard.js"].ETag.Trim('"')[..12] + Files["dashboard.css"].ETag.Trim('"')[..12], StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(html);
        return new DashboardAsset(bytes, "text/html; charset=utf-8", Tag(bytes));
    }

    public static Task WriteAsync(HttpContext http, DashboardAsset asset, bool immutable)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        http.Response.ContentType = asset.ContentType;
        http.Response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : http.Response.Body.WriteAsync(asset.Content, http.RequestAborted).AsTask();
    }

    private static DashboardAsset Load(string name, string contentType)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Aicmo.Sdk.AspNetCore.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard asset '{name}' is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return new DashboardAsset(bytes, contentType, Tag(bytes));
    }

    private static string Tag(byte[] bytes) => new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(bytes)) + "\"").ToString();
}
