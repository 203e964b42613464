using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Aicmo.Sdk.Diagnostics;

/// <summary>A running pipeline whose queue depths the gauge reads.</summary>
internal interface IQueueDepthSource
{
    IEnumerable<(string Stage, int Depth)> QueueDepths();
}
