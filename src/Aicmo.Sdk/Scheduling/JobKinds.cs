namespace Aicmo.Sdk.Scheduling;

/// <summary>The names of the built-in job kinds. A host may add its own kinds, each with its own name.</summary>
public static class JobKinds
{
    /// <summary>The full pipeline over the campaign's sources (harvest through nurture), optionally limited by <see cref="JobSchedule.MaxLeads"/>.</summary>
    public const string Pipeline = "pipeline";

    /// <summary>
    /// A harvest that stores the new leads and stops before enrichment (<see cref="Domain.PipelineRunKind.HarvestOnly"/>),
    /// optionally limited by <see cref="JobSchedule.MaxLeads"/>; a <see cref="Backlog"/> job carries the leads on.
    /// </summary>
    public const string HarvestOnly = "harvest";

    /// <summary>
    /// The chosen stages over the campaign's stored leads in the chosen states (<see cref="JobSchedule.Backlog"/>, a
    /// <see cref="Domain.PipelineRunKind.Backlog"/> run), at most <see cref="JobSchedule.MaxLeads"/> of them.
    /// </summary>
    public const string Backlog = "backlog";

    /// <summary>A nurture pass: sends the follow-up steps of the campaign that have fallen due, within send windows and throttles.</summary>
    public const string Nurture = "nurture";
}
