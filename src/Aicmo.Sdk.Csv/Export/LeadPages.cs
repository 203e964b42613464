using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Csv.Export;

/// <summary>Streams a campaign's leads out of a repository page by page, for the exporters.</summary>
public static class LeadPages
{
    /// <summary>Pages through <see cref="ILeadRepository.QueryAsync"/> from <see cref="LeadQuery.Skip"/> until a page comes back short.</summary>
    /// <remarks>Paging is by offset: leads added or removed while the export runs may shift a page. Export a finished run for a stable file.</remarks>
    /// <param name="repository">The repository.</param>
    /// <param name="query">The campaign, optional state filter, first offset and page size.</param>
    /// <param name="cancellationToken">A token to stop reading.</param>
    /// <returns>The leads, one page in memory at a time.</returns>
    public static async IAsyncEnumerable<Lead> ReadAllAsync(ILeadRepository repository, LeadQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Take, 1);
        for (var skip = query.Skip; ; skip += query.Take)
        {
            var page = await repository.QueryAsync(query with { Skip = skip }, cancellationToken).ConfigureAwait(false);
            foreach (var lead in page)
            {
                yield return lead;
            }

            if (page.Count < query.Take)
            {
                yield break;
            }
        }
    }
}
