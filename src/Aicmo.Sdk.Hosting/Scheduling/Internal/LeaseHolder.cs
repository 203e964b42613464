using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>The lease a running job holds, renewed in the background; <see cref="Lost"/> once the store gave it to someone else.</summary>
internal sealed class LeaseHolder(JobLease lease)
{
    private volatile JobLease _lease = lease;
    private volatile bool _lost;

    public JobLease Lease
    {
        get => _lease;
        set => _lease = value;
    }

    public bool Lost
    {
        get => _lost;
        set => _lost = value;
    }
}
