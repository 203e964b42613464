namespace Aicmo.Sdk.AspNetCore.Tests.Support;

/// <summary>Turns <see cref="SwitchableFailingEnricher"/> on and off: while on, every run fails.</summary>
public sealed class FailureSwitch
{
    public volatile bool Failing;
}
