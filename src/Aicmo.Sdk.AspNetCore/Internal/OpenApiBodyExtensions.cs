using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace Aicmo.Sdk.AspNetCore.Internal;

/// <summary>
/// Describes a JSON request body in the OpenAPI document without <c>Accepts</c> metadata: routing would answer a wrong content type
/// with a bare 415 before the endpoint runs, and the API answers it with problem details instead.
/// </summary>
internal static class OpenApiBodyExtensions
{
    public static RouteHandlerBuilder JsonBody<T>(this RouteHandlerBuilder builder, bool required = true) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken).ConfigureAwait(false);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = required,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new OpenApiMediaType { Schema = schema } },
            };
        });
}
