using System.Globalization;

namespace Aicmo.Sdk.Http.Internal;

/// <summary>Reads a response body up to a size limit, under its own timeout.</summary>
internal static class BoundedContent
{
    /// <summary>Reads the whole body.</summary>
    /// <param name="response">The response.</param>
    /// <param name="maxBytes">The most bytes accepted.</param>
    /// <param name="timeout">How long reading may take.</param>
    /// <param name="what">What is being read, for messages.</param>
    /// <param name="cancellationToken">A token to stop.</param>
    /// <returns>The body.</returns>
    /// <exception cref="InvalidDataException">The body is larger than <paramref name="maxBytes"/>.</exception>
    /// <exception cref="TimeoutException">Reading took longer than <paramref name="timeout"/>.</exception>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpResponseMessage response, int maxBytes, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            throw TooLarge(what, maxBytes, string.Create(CultureInfo.InvariantCulture, $"it declares {declared:N0} bytes"));
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(timeoutSource.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new MemoryStream();
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, timeoutSource.Token).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > maxBytes)
                    {
                        throw TooLarge(what, maxBytes, "the body is longer");
                    }

                    buffer.Write(chunk, 0, read);
                }

                return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{what}: reading the response body took longer than {timeout.TotalSeconds:0.###} s (AttemptTimeout)."));
        }
    }

    private static InvalidDataException TooLarge(string what, int maxBytes, string detail) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{what}: the response is larger than the limit of {maxBytes:N0} bytes (MaxResponseBytes); {detail}."));
}
