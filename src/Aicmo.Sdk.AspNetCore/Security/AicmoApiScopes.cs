namespace Aicmo.Sdk.AspNetCore.Security;

/// <summary>What an API key may do. Each scope includes the ones below it: admin includes operate, operate includes read.</summary>
[Flags]
public enum AicmoApiScopes
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Read campaigns, runs, leads, dashboards and live progress.</summary>
    Read = 1,

    /// <summary>Create and change campaigns, start, cancel and resume runs, manage the suppression list.</summary>
    Operate = 2,

    /// <summary>Erase people's data.</summary>
    Admin = 4,
}
