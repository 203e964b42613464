using System.Text.Json.Serialization;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>The JSON shapes of the transport's message bodies: batches, batch reports and run control (source-generated, no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StageBatchMessage))]
[JsonSerializable(typeof(Aicmo.Sdk.Pipeline.Transport.LeadBatchReport))]
[JsonSerializable(typeof(RunControlMessage))]
internal sealed partial class StageBatchJsonContext : JsonSerializerContext;
