namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>One embedded file of the dashboard page: its bytes, content type and entity tag.</summary>
internal sealed record DashboardAsset(byte[] Content, string ContentType, string ETag);
