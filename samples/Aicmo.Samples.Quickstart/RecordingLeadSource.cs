using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;

namespace Aicmo.Samples.Quickstart;

/// <summary>
/// Passes a source's candidates on unchanged and notes, for the first <c>keep</c> of them, where each came from (its position,
/// such as <c>line 7</c>), the identity the pipeline files it under, and the reason it was rejected at intake, if it was. After
/// the run, these notes and the stored leads say where every row ended.
/// </summary>
internal sealed class RecordingLeadSource(ILeadSource inner, int keep) : ILeadSource
{
    private readonly List<SourceRow> _rows = [];

    public string Name => inner.Name;

    /// <summary>Gets the rows noted, in the order the source yielded them.</summary>
    public IReadOnlyList<SourceRow> Rows => _rows;

    /// <summary>Gets how many candidates the source yielded in all.</summary>
    public long Read { get; private set; }

    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var candidate in inner.ReadAsync(context, cancellationToken).ConfigureAwait(false))
        {
            if (++Read <= keep)
            {
                // The same identity the dedup stage computes: the key of the email (or domain and name), else one from the position.
                var key = LeadIdentity.ComputeKey(candidate.Email, candidate.CompanyDomain, candidate.FirstName, candidate.LastName)
                          ?? LeadIdentity.ComputeFallbackKey(candidate, inner.Name);
                _rows.Add(new SourceRow(candidate.SourcePosition ?? $"record {Read}", key, candidate.RejectionReason));
            }

            yield return candidate;
        }
    }
}

/// <summary>A row a <see cref="RecordingLeadSource"/> noted.</summary>
/// <param name="Position">Where it came from.</param>
/// <param name="IdentityKey">The identity the pipeline files it under.</param>
/// <param name="RejectionReason">Why it was rejected at intake, or <see langword="null"/>.</param>
internal sealed record SourceRow(string Position, string IdentityKey, string? RejectionReason);
