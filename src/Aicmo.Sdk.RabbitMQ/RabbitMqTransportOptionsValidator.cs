using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.RabbitMQ;

/// <summary>Validates <see cref="RabbitMqTransportOptions"/> at start-up, naming each wrong setting.</summary>
public sealed class RabbitMqTransportOptionsValidator : IValidateOptions<RabbitMqTransportOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RabbitMqTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Uri is null)
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.Uri)} is required (amqp:// or amqps://).");
        }
        else if (!options.Uri.IsAbsoluteUri || (options.Uri.Scheme != "amqp" && options.Uri.Scheme != "amqps"))
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.Uri)} must be an absolute amqp:// or amqps:// URI.");
        }

        if (string.IsNullOrEmpty(options.QueuePrefix) || options.QueuePrefix.Length > 100
            || !options.QueuePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.QueuePrefix)} must be 1-100 letters, digits, '.', '-' or '_'.");
        }

        if (options.Prefetch == 0)
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.Prefetch)} must be at least 1.");
        }

        if (options.ConsumerConcurrency == 0)
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.ConsumerConcurrency)} must be at least 1.");
        }

        if (options.MaxOutstandingConfirms is < 1 or > 65_536)
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.MaxOutstandingConfirms)} must be between 1 and 65536.");
        }

        if (options.MaxAttempts is < 1 or > 1_000)
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.MaxAttempts)} must be between 1 and 1000.");
        }

        if (options.DeliveryLimit is < 1 or > 1_000)
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.DeliveryLimit)} must be between 1 and 1000.");
        }

        var blank = options.Stages.Count(string.IsNullOrWhiteSpace);
        if (blank > 0)
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.Stages)} holds {blank} empty name(s); name the stages this process consumes, or leave it empty for all.");
        }

        var repeated = options.Stages.Where(s => !string.IsNullOrWhiteSpace(s)).GroupBy(s => s, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.Stages)} names {string.Join(", ", repeated)} more than once.");
        }

        if (options.JoinedRunIdleTimeout < TimeSpan.FromSeconds(1) || options.JoinedRunIdleTimeout > TimeSpan.FromDays(1))
        {
            failures.Add($"{nameof(RabbitMqTransportOptions.JoinedRunIdleTimeout)} must be between 1 second and 1 day.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
