using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>Checks the data annotations of <see cref="SchedulerOptions"/> (generated code, no reflection).</summary>
[OptionsValidator]
internal sealed partial class SchedulerOptionsAnnotationsValidator : IValidateOptions<SchedulerOptions>;
