using System.Reflection;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Tests.Architecture;

/// <summary>
/// Pins how the core's namespaces depend on each other (docs/architecture.md, "Namespaces"): no cycle, the runner
/// (<c>Aicmo.Sdk.Pipeline</c>) used only by the composition root, and the domain model depending on nothing else of the core.
/// </summary>
/// <remarks>
/// A reference is anything <see cref="TypeReferences"/> finds: signatures, attributes and the types named in method bodies. A
/// sub-namespace counts as its parent (<c>Aicmo.Sdk.Pipeline.Transport</c> is part of <c>Aicmo.Sdk.Pipeline</c>); the builder
/// extensions, which live in <c>Microsoft.Extensions.DependencyInjection</c> by convention, count as the composition root.
/// </remarks>
public sealed class NamespaceDependencyTests
{
    private const string Pipeline = "Aicmo.Sdk.Pipeline";
    private const string CompositionRoot = "Aicmo.Sdk.DependencyInjection";

    private static readonly Lazy<Dictionary<(string From, string To), List<string>>> Graph = new(Build);

    [Fact]
    public void CoreNamespaces_DependOnEachOtherWithoutACycle()
    {
        var cycles = Cycles().Select(Describe).ToList();

        Assert.True(cycles.Count == 0, $"Namespace cycles in the core:\n{string.Join("\n\n", cycles)}");
    }

    [Fact]
    public void ThePipelineNamespace_IsReferencedOnlyByTheCompositionRoot()
    {
        var users = Graph.Value.Keys.Where(e => e.To == Pipeline && e.From != CompositionRoot).Select(e => Describe([e.From, e.To])).ToList();

        Assert.True(users.Count == 0, $"Namespaces that reference {Pipeline}:\n{string.Join("\n\n", users)}");
    }

    [Fact]
    public void TheDomainNamespace_ReferencesNoOtherNamespaceOfTheCore()
    {
        var targets = Graph.Value.Keys.Where(e => e.From == "Aicmo.Sdk.Domain").Select(e => Describe([e.From, e.To])).ToList();

        Assert.True(targets.Count == 0, $"The domain model references:\n{string.Join("\n\n", targets)}");
    }

    [Fact]
    public void TheGraph_HoldsSignatureAndBodyReferences()
    {
        // Guards the checks above against passing on a graph that lost its edges: the runner stores leads (signatures), and the
        // qualifier reads the scorer's e-mail domain facts only inside its method bodies.
        Assert.Contains((Pipeline, "Aicmo.Sdk.Storage"), Graph.Value.Keys);
        Assert.Contains((CompositionRoot, Pipeline), Graph.Value.Keys);
        Assert.Contains(Graph.Value[("Aicmo.Sdk.Qualification", "Aicmo.Sdk.Scoring")], via => via.Contains("(body)", StringComparison.Ordinal));
    }

    private static Dictionary<(string From, string To), List<string>> Build()
    {
        var core = typeof(Lead).Assembly;
        var graph = new Dictionary<(string, string), List<string>>();
        foreach (var type in core.GetTypes())
        {
            if (Group(type) is not { } from)
            {
                continue;
            }

            foreach (var (target, via) in TypeReferences.Of(type))
            {
                if (target.Assembly == core && Group(target) is { } to && to != from)
                {
                    if (!graph.TryGetValue((from, to), out var examples))
                    {
                        graph[(from, to)] = examples = [];
                    }

                    examples.Add($"{type.Name} ({via}) -> {target.Name}");
                }
            }
        }

        return graph;
    }

    private static string? Group(Type type) => type.Namespace switch
    {
        null => null,
        "Microsoft.Extensions.DependencyInjection" => CompositionRoot,
        var ns when ns.StartsWith("Aicmo.Sdk.", StringComparison.Ordinal) => string.Join('.', ns.Split('.').Take(3)),
        _ => null,
    };

    /// <summary>Each strongly connected set of two or more namespaces, as one cycle through it.</summary>
    private static IEnumerable<List<string>> Cycles()
    {
        var edges = Graph.Value.Keys.ToLookup(e => e.From, e => e.To);
        var nodes = Graph.Value.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Order(StringComparer.Ordinal).ToList();
        var reported = new HashSet<string>();
        foreach (var start in nodes)
        {
            if (reported.Contains(start) || ShortestPath(edges, start, start) is not { } cycle)
            {
                continue;
            }

            reported.UnionWith(cycle);
            yield return cycle;
        }
    }

    private static List<string>? ShortestPath(ILookup<string, string> edges, string from, string to)
    {
        var previous = new Dictionary<string, string>();
        var queue = new Queue<string>(edges[from].Select(n => { previous.TryAdd(n, from); return n; }));
        while (queue.TryDequeue(out var node))
        {
            if (node == to)
            {
                var path = new List<string> { to };
                for (var at = previous[to]; at != from; at = previous[at])
                {
                    path.Insert(0, at);
                }

                path.Insert(0, from);
                return path;
            }

            foreach (var next in edges[node].Where(n => previous.TryAdd(n, node)))
            {
                queue.Enqueue(next);
            }
        }

        return null;
    }

    private static string Describe(List<string> path) => string.Join("\n", path.Zip(path.Skip(1)).Select(step =>
        $"{step.First} -> {step.Second}, for example:\n    " + string.Join("\n    ", Graph.Value[step].Distinct().Take(3))));
}
