using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Pipeline;

/// <summary>A custom stage and the built-in stage it runs after.</summary>
/// <param name="RunsAfter">The stage it follows (see <see cref="StageNames"/>), or the name of another custom stage.</param>
/// <param name="Factory">Creates the stage.</param>
internal sealed record CustomStageRegistration(string RunsAfter, Func<IServiceProvider, ILeadStage> Factory);
