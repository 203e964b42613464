using Aicmo.Sdk.Smtp.Inbox;
using Aicmo.Sdk.Smtp.Inbox.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Reads bounces, replies and out-of-office answers to the pipeline's nurture emails from an IMAP mailbox.</summary>
public static class InboxReaderPipelineBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="InboxReader"/> and a hosted service that runs it every <see cref="InboxReaderOptions.PollInterval"/>
    /// (unless <see cref="InboxReaderOptions.RunInBackground"/> is turned off). Options are validated at start-up.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the server, credentials, folders and Message-ID domain; see <see cref="InboxReaderOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddInboxReader(this IAicmoPipelineBuilder builder, Action<InboxReaderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<InboxReaderOptions>().Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InboxReaderOptions>, InboxReaderOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InboxReader>();
        services.AddHostedService<InboxReaderService>();
        return builder;
    }
}
