using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>
/// Put on a store's test class (or a base class of it) to skip its <see cref="StoreFactAttribute"/> facts when the store cannot
/// be reached. Return <see langword="null"/> to run them; a store whose tests must never skip (CI) should throw instead.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public abstract class StoreSkipAttribute : Attribute
{
    /// <summary>Returns why the facts are skipped, or <see langword="null"/> to run them.</summary>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public abstract string? GetSkipReason();
}
