using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Csv.Export.Internal;

/// <summary>One fixed column of the CSV export.</summary>
/// <param name="Name">The header.</param>
/// <param name="Value">Reads the cell from a lead.</param>
/// <param name="IsText">Whether the cell holds text from outside (neutralized) rather than a value the exporter formats.</param>
internal sealed record ExportColumn(string Name, Func<Lead, string?> Value, bool IsText);
