using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.RabbitMQ.Tests.Support;

/// <summary>Skips a class's store facts when the broker or the PostgreSQL server is not configured, except in CI, where they run and fail saying why.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SkipWithoutRabbitMqAndPostgreSqlAttribute : StoreSkipAttribute
{
    public override string? GetSkipReason() =>
        RabbitMqTestBroker.IsCI || (RabbitMqTestBroker.IsConfigured && PostgreSqlTestStore.IsConfigured)
            ? null
            : RabbitMqTestBroker.HowToRun + " " + PostgreSqlTestStore.Variable + " must be set too.";
}
