using Aicmo.Sdk.AspNetCore.Security;
using Microsoft.AspNetCore.Builder;

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

/// <summary>Applies <see cref="ApiPolicies"/> to an endpoint.</summary>
internal static class ApiPolicyExtensions
{
    public static TBuilder Require<TBuilder>(this TBuilder builder, ApiPolicies policies, AicmoApiScopes scope)
        where TBuilder : IEndpointConventionBuilder
    {
        if (policies.Anonymous)
        {
            return builder.AllowAnonymous();
        }

        return builder.RequireAuthorization(scope switch
        {
            AicmoApiScopes.Admin => policies.Admin,
            AicmoApiScopes.Operate => policies.Operate,
            _ => policies.Read,
        });
    }
}
