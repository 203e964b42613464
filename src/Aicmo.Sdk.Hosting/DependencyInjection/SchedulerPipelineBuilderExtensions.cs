using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Hosting.Internal;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the scheduler: campaigns that run on their own.</summary>
public static class SchedulerPipelineBuilderExtensions
{
    /// <summary>
    /// Adds the scheduler as a hosted service, with the <see cref="JobKinds.Pipeline"/> and <see cref="JobKinds.Nurture"/> job kinds
    /// and <see cref="IScheduleManager"/>. Every campaign gets a nurture pass every minute unless <see cref="SchedulerOptions.NurturePass"/>
    /// is off. Schedules, leases and results live in the pipeline's <see cref="IJobStore"/> (in memory unless a store package is used).
    /// Options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures <see cref="SchedulerOptions"/>, for example its <see cref="SchedulerOptions.Schedules"/>.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddScheduler(this IAicmoPipelineBuilder builder, Action<SchedulerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptionsWithValidateOnStart<SchedulerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IJobStore, InMemoryJobStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScheduledJob, PipelineJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScheduledJob, HarvestOnlyJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScheduledJob, BacklogJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScheduledJob, NurtureJob>());
        services.TryAddSingleton<JobEventHub>();
        services.TryAddSingleton<IJobEventStream>(static sp => sp.GetRequiredService<JobEventHub>());
        services.TryAddSingleton<ScheduledRuns>();
        services.TryAddSingleton<JobScheduler>();
        services.TryAddSingleton<IScheduleManager, ScheduleManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SchedulerHostedService>());
        return builder;
    }

    /// <summary>Adds a schedule defined in code (added to the store at start, or updated there when its definition changed).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="schedule">The schedule.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddSchedule(this IAicmoPipelineBuilder builder, JobSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(schedule);
        builder.Services.Configure<SchedulerOptions>(o => o.Schedules.Add(schedule));
        return builder;
    }

    /// <summary>Adds a job kind of the host's own, which schedules name by its <see cref="IScheduledJob.Kind"/>.</summary>
    /// <typeparam name="TJob">The job type, created once by the container.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddScheduledJob<TJob>(this IAicmoPipelineBuilder builder)
        where TJob : class, IScheduledJob
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IScheduledJob, TJob>());
        return builder;
    }
}
