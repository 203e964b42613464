using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Storage.Sql;

/// <summary>The JSON documents the SQL job stores keep a schedule, a job result and a planned retry in; indexed columns are copies of a few fields.</summary>
/// <remarks>Compiled into each SQL store package (linked source), so both write the same document shape.</remarks>
internal static class JobStoreJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(JobSchedule schedule) => JsonSerializer.Serialize(schedule, Options);

    public static JobSchedule DeserializeSchedule(string json) =>
        JsonSerializer.Deserialize<JobSchedule>(json, Options) ?? throw new InvalidDataException("A stored schedule is empty.");

    public static string Serialize(JobResult result) => JsonSerializer.Serialize(result, Options);

    public static string Serialize(PlannedRetry retry) => JsonSerializer.Serialize(retry, Options);

    public static PlannedRetry DeserializeRetry(string json) =>
        JsonSerializer.Deserialize<PlannedRetry>(json, Options) ?? throw new InvalidDataException("A stored planned retry is empty.");

    public static JobResult DeserializeResult(string json) =>
        JsonSerializer.Deserialize<JobResult>(json, Options) ?? throw new InvalidDataException("A stored job result is empty.");
}
