namespace Aicmo.Sdk.Storage;

/// <summary>
/// Something that keeps copies of personal data outside the stores (a cache of vendor answers, the event buffers of running
/// pipelines): <see cref="LeadEraser"/> asks every registered holder to forget a person it erases.
/// </summary>
/// <remarks>Register implementations with <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IPersonalDataHolder, T&gt;())</c>.</remarks>
public interface IPersonalDataHolder
{
    /// <summary>Forgets everything held about a person.</summary>
    /// <param name="erasure">Who: the address and the leads erased.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when nothing about the person is held any more.</returns>
    ValueTask ForgetAsync(PersonalDataErasure erasure, CancellationToken cancellationToken = default);
}
