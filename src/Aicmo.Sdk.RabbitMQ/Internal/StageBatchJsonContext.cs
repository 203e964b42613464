using System.Text.Json.Serialization;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>The JSON shape of a <see cref="StageBatchMessage"/> body (source-generated, no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StageBatchMessage))]
internal sealed partial class StageBatchJsonContext : JsonSerializerContext;
