namespace Aicmo.Sdk.AspNetCore.Security;

/// <summary>Names the API registers: its authentication scheme, its authorization policies and the claim that carries a scope.</summary>
public static class AicmoApiDefaults
{
    /// <summary>The authentication scheme of the built-in API keys.</summary>
    public const string AuthenticationScheme = "AicmoApiKey";

    /// <summary>The header that carries an API key. <c>Authorization: ApiKey &lt;key&gt;</c> is accepted too.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The claim type that carries a scope (<c>read</c>, <c>operate</c>, <c>admin</c>).</summary>
    public const string ScopeClaim = "aicmo_scope";

    /// <summary>The built-in policy for reading.</summary>
    public const string ReadPolicy = "aicmo.read";

    /// <summary>The built-in policy for operating (changes and runs).</summary>
    public const string OperatePolicy = "aicmo.operate";

    /// <summary>The built-in policy for administration (erasure).</summary>
    public const string AdminPolicy = "aicmo.admin";

    /// <summary>The name of the OpenAPI document that describes the API.</summary>
    public const string OpenApiDocumentName = "aicmo";
}
