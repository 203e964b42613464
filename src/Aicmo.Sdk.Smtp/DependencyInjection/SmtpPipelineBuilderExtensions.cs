using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Smtp.Sending;
using Aicmo.Sdk.Smtp.Sending.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sends the pipeline's nurture emails over SMTP.</summary>
public static class SmtpPipelineBuilderExtensions
{
    /// <summary>
    /// Uses an SMTP server as the mail transport (<see cref="IEmailSender"/>), replacing a transport registered earlier. Options are
    /// validated at start-up.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the server, credentials, TLS mode and Message-ID domain; see <see cref="SmtpSenderOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UseSmtp(this IAicmoPipelineBuilder builder, Action<SmtpSenderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<SmtpSenderOptions>().Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpSenderOptions>, SmtpSenderOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SmtpEmailSender>();
        services.RemoveAll<IEmailSender>();
        services.AddSingleton<IEmailSender>(static sp => sp.GetRequiredService<SmtpEmailSender>());
        return builder;
    }
}
