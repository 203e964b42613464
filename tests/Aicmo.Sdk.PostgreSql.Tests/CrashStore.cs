using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>The store the crash-host process runs on.</summary>
internal static class CrashStore
{
    public static void Use(IAicmoPipelineBuilder builder, string connection, string schema) => builder.UsePostgreSql(connection, o => o.Schema = schema);
}
