using Aicmo.Sdk.AspNetCore.Security;
using Microsoft.AspNetCore.Builder;

namespace Aicmo.Sdk.AspNetCore.Internal;

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
