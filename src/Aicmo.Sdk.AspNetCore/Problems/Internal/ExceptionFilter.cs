using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.AspNetCore.Problems.Internal;

/// <summary>
/// Turns an exception from an endpoint into problem details: 501 for an operation the store does not support, 500 otherwise,
/// with the request and trace ids to find it in the logs and never the exception's text or stack.
/// </summary>
internal sealed partial class ExceptionFilter(ILogger<ExceptionFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (NotSupportedException e)
        {
            LogFailed(logger, e, context.HttpContext.Request.Path);
            return Problems.Create(context.HttpContext, StatusCodes.Status501NotImplemented, AicmoProblemTypes.NotSupported, "Not supported.",
                "The configured store does not support this operation.");
        }
        catch (Exception e) when (!context.HttpContext.Response.HasStarted)
        {
            LogFailed(logger, e, context.HttpContext.Request.Path);
            return Problems.Create(context.HttpContext, StatusCodes.Status500InternalServerError, AicmoProblemTypes.Internal, "An unexpected error occurred.",
                "Quote the requestId and traceId to find it in the logs.");
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Request {Path} failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception, PathString path);
}
