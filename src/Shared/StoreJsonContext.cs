using System.Text.Json.Serialization;

namespace Aicmo.Sdk.Storage.Sql;

/// <summary>
/// Generated serialization of <see cref="StoreJson.LeadDocument"/>, with the options of <see cref="StoreJson"/> (the writer
/// supplies the encoder).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoreJson.LeadDocument))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
