using HandlebarsDotNet;
using Aicmo.Sdk.Templating.Handlebars;

namespace Aicmo.Sdk.Templating.Handlebars.Tests;

public sealed class HandlebarsTemplateRendererTests
{
    private static Dictionary<string, object?> Model(params (string Key, object? Value)[] values)
    {
        var model = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            model[key] = value;
        }

        return model;
    }

    [Fact]
    public void Compile_PlainTextOutput_IsNotHtmlEscaped()
    {
        var render = new HandlebarsTemplateRenderer().Compile("{{CompanyName}} <{{Email}}>");

        Assert.Equal("O'Brien & Co <a@b.io>", render(Model(("CompanyName", "O'Brien & Co"), ("Email", "a@b.io"))));
    }

    [Fact]
    public void Compile_BlocksLoopsAndNestedFields_Render()
    {
        var render = new HandlebarsTemplateRenderer().Compile("{{#if Title}}{{Title}}{{else}}none{{/if}}|{{#each Tags}}[{{this}}]{{/each}}|{{Attributes.plan}}");

        var text = render(Model(("Title", ""), ("Tags", new[] { "a", "b" }), ("Attributes", new Dictionary<string, string> { ["plan"] = "pro" })));

        Assert.Equal("none|[a][b]|pro", text);
    }

    [Fact]
    public void Compile_DefaultHelper_FallsBackForMissingOrBlankValues()
    {
        var render = new HandlebarsTemplateRenderer().Compile("{{default FirstName \"there\"}}/{{default Missing \"x\"}}/{{default Title \"y\"}}");

        Assert.Equal("there/x/CTO", render(Model(("FirstName", "  "), ("Title", "CTO"))));
    }

    [Fact]
    public void Compile_CustomHelpers_CanBeRegistered()
    {
        var renderer = new HandlebarsTemplateRenderer(h => h.RegisterHelper("upper", (context, arguments) => arguments[0]?.ToString()?.ToUpperInvariant()));

        Assert.Equal("ADA", renderer.Compile("{{upper FirstName}}")(Model(("FirstName", "Ada"))));
    }

    [Theory]
    [InlineData("{{#if x}}never closed")]
    [InlineData("{{#each}}")]
    [InlineData("{{/if}}")]
    public void Compile_MalformedTemplate_ThrowsFormatException(string template)
    {
        Assert.Throws<FormatException>(() => new HandlebarsTemplateRenderer().Compile(template));
    }

    [Fact]
    public async Task Render_FromManyThreads_IsConsistent()
    {
        var render = new HandlebarsTemplateRenderer().Compile("Hi {{FirstName}} #{{Step}}");

        var results = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => Task.Run(() => render(Model(("FirstName", "n" + i), ("Step", i))))));

        Assert.All(results.Select((text, i) => (text, i)), r => Assert.Equal($"Hi n{r.i} #{r.i}", r.text));
    }
}
