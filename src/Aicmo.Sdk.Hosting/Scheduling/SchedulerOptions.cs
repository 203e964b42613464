using System.ComponentModel.DataAnnotations;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting;

/// <summary>Options of the scheduler registered by <c>AddScheduler</c>; validated when the host starts.</summary>
/// <remarks>Binds from configuration, for example the section <c>Aicmo:Scheduler</c> of <c>appsettings.json</c>.</remarks>
public sealed class SchedulerOptions
{
    /// <summary>Gets or sets this host's id, the owner of the leases it takes; unique among the hosts sharing a store.</summary>
    /// <value>The default value is <see langword="null"/>: the machine name, the process id and a random suffix.</value>
    public string? HostId { get; set; }

    /// <summary>Gets or sets the longest time between two looks at the store for due schedules (the scheduler also wakes when the next one is due).</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long a job's lease lasts unless renewed: how soon another host resumes the job of a host that died.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often a running job renews its lease. Must be shorter than <see cref="LeaseDuration"/>.</summary>
    /// <value>The default value is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many jobs this host runs at once; a due schedule beyond it waits for the next look, it never blocks one.</summary>
    /// <value>The default value is 16.</value>
    [Range(1, 10_000)]
    public int MaxConcurrentJobs { get; set; } = 16;

    /// <summary>Gets or sets how long job results are kept.</summary>
    /// <value>The default value is 90 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan ResultRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Gets or sets whether every campaign gets a nurture pass schedule (id <c>nurture:</c> followed by the campaign id) when the
    /// scheduler first sees it, so follow-up steps go out with no code. Pause the schedule to stop it; a deleted one comes back.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NurturePass { get; set; } = true;

    /// <summary>Gets or sets the cron expression of the nurture pass schedules, in UTC.</summary>
    /// <value>The default value is <c>* * * * *</c> (every minute).</value>
    [Required]
    public string NurturePassCron { get; set; } = "* * * * *";

    /// <summary>Gets or sets how often the scheduler looks for new campaigns to give a nurture pass.</summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan CampaignRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many events a subscriber of <see cref="IJobEventStream"/> may fall behind before it loses the oldest.</summary>
    /// <value>The default value is 1024.</value>
    [Range(16, 1_000_000)]
    public int EventBufferSize { get; set; } = 1024;

    /// <summary>
    /// Gets the schedules defined in code or configuration. At start each is added to the store, or updated there when its
    /// definition changed; a schedule paused at run time stays paused.
    /// </summary>
    public IList<JobSchedule> Schedules { get; } = new List<JobSchedule>();
}
