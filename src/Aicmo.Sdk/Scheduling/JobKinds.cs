namespace Aicmo.Sdk.Scheduling;

/// <summary>The names of the built-in job kinds. A host may add its own kinds, each with its own name.</summary>
public static class JobKinds
{
    /// <summary>The full pipeline over the campaign's sources (harvest through nurture), optionally limited by <see cref="JobSchedule.MaxLeads"/>.</summary>
    public const string Pipeline = "pipeline";

    /// <summary>A nurture pass: sends the follow-up steps of the campaign that have fallen due, within send windows and throttles.</summary>
    public const string Nurture = "nurture";
}
