namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>Who the caller is and which scopes its credentials grant, so a client shows only the controls it may use.</summary>
internal sealed record CallerResponse(string? Name, IReadOnlyList<string> Scopes);
