using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Leads that reached an outcome, collected to be stored with one <see cref="ILeadRepository.UpdateManyAsync"/> call.</summary>
internal sealed class FinishingLeads(int capacity)
{
    private readonly LeadUpdate[] _updates = new LeadUpdate[capacity];
    private readonly bool[] _results = new bool[capacity];

    public int Count { get; private set; }

    public ReadOnlyMemory<LeadUpdate> Updates => _updates.AsMemory(0, Count);

    public Memory<bool> Results => _results.AsMemory(0, Count);

    public Lead Lead(int index) => _updates[index].Lead;

    public void Add(Lead lead) => _updates[Count++] = new LeadUpdate(lead, lead.StoredVersion);

    public void Clear()
    {
        Array.Clear(_updates, 0, Count);
        Count = 0;
    }
}
