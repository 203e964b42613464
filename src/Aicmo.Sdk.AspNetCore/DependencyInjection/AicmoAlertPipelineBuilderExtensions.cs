using Aicmo.Sdk.AspNetCore.Alerts;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the thresholds of the API's alerts and campaign health.</summary>
public static class AicmoAlertPipelineBuilderExtensions
{
    /// <summary>
    /// Sets the thresholds of <c>GET /alerts</c> and of each campaign's health (see <see cref="AicmoAlertOptions"/>); they are validated
    /// when the host starts. Works with <c>AddAicmoApi</c>, before or after it.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">Sets the thresholds.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder ConfigureAicmoAlerts(this IAicmoPipelineBuilder builder, Action<AicmoAlertOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
