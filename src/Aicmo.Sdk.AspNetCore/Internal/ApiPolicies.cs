using Aicmo.Sdk.AspNetCore.Security;

namespace Aicmo.Sdk.AspNetCore.Internal;

/// <summary>The policy each scope requires: the host's when named in the options, the built-in API-key ones otherwise; none when anonymous.</summary>
internal sealed record ApiPolicies(bool Anonymous, string Read, string Operate, string Admin)
{
    public static ApiPolicies From(AicmoApiOptions o) => new(
        o.AllowAnonymous,
        o.ReadPolicy ?? AicmoApiDefaults.ReadPolicy,
        o.OperatePolicy ?? AicmoApiDefaults.OperatePolicy,
        o.AdminPolicy ?? AicmoApiDefaults.AdminPolicy);
}
