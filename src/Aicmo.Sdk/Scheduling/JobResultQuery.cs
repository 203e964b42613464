namespace Aicmo.Sdk.Scheduling;

/// <summary>A page of job results to read, newest occurrence first.</summary>
public sealed record JobResultQuery
{
    /// <summary>Gets the campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the schedule to filter on, or <see langword="null"/> for every schedule of the campaign.</summary>
    public string? ScheduleId { get; init; }

    /// <summary>Gets how many to skip.</summary>
    /// <value>The default value is 0.</value>
    public int Skip { get; init; }

    /// <summary>Gets the page size.</summary>
    /// <value>The default value is 100.</value>
    public int Take { get; init; } = 100;
}
