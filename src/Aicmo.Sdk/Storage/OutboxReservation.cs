using System.Globalization;

namespace Aicmo.Sdk.Storage;

/// <summary>The result of <see cref="IEmailOutbox.ReserveAsync"/>.</summary>
/// <param name="Created">Whether this call created the entry.</param>
/// <param name="Entry">The stored entry (the existing one when it was not created).</param>
public readonly record struct OutboxReservation(bool Created, OutboxEntry Entry);
