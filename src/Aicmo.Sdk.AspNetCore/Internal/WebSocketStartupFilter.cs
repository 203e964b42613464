using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Aicmo.Sdk.AspNetCore.Internal;

/// <summary>Adds the WebSocket middleware in front of the host's pipeline, so mapping the API is all a host does for live progress.</summary>
internal sealed class WebSocketStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWebSockets();
        next(app);
    };
}
