namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>Where one column goes.</summary>
/// <param name="Header">The column's header, as written (or <c>column N</c> when it has none).</param>
/// <param name="Field">The field it feeds.</param>
/// <param name="AttributeName">The attribute name, for <see cref="LeadField.Attribute"/>.</param>
internal readonly record struct ColumnBinding(string Header, LeadField Field, string? AttributeName);
