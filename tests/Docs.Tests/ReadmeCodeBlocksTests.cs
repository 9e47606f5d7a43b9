using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace RlExperiments.Docs.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md compiles, as a program of its own, against the src projects, with the
/// implicit usings of a console project and nothing else: so each block names every namespace it uses. A block that is
/// intentionally a fragment has the line <c>&lt;!-- fragment --&gt;</c> right above its fence and is skipped.
/// </summary>
public partial class ReadmeCodeBlocksTests
{
    /// <summary>The marker of a README block that is a fragment on purpose (documented in README.md).</summary>
    public const string FragmentMarker = "<!-- fragment -->";

    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    [Fact]
    public void Every_csharp_block_of_the_readme_compiles()
    {
        var blocks = Blocks(File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md")));
        blocks.Should().HaveCountGreaterThan(5);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).ToArray();
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var globalUsings = CSharpSyntaxTree.ParseText(string.Join("\n", ImplicitUsings.Select(u => $"global using {u};")), parse);
        var failures = new List<string>();
        foreach (var block in blocks.Where(b => !b.Fragment))
        {
            var tree = CSharpSyntaxTree.ParseText(block.Code, parse, path: $"README.md:{block.Line}");
            var compilation = CSharpCompilation.Create("ReadmeBlock" + block.Line, [globalUsings, tree], references,
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
            using var output = new MemoryStream();
            var errors = compilation.Emit(output).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            if (errors.Length > 0)
                failures.Add($"README.md block at line {block.Line}:\n  " + string.Join("\n  ", errors.Select(e =>
                    $"line {block.Line + e.Location.GetLineSpan().StartLinePosition.Line + 1}: {e.Id} {e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")));
        }
        failures.Should().BeEmpty($"every C# block of README.md compiles on its own (mark an intended fragment with {FragmentMarker} above its fence)");
    }

    [Fact]
    public void Blocks_are_found_with_their_fragment_marker_and_indentation_removed()
    {
        var blocks = Blocks([
            "text", "```csharp", "var a = 1;", "```",
            FragmentMarker, "  ```csharp", "  x.Y();", "  ```",
            "```bash", "ls", "```"]);
        blocks.Should().HaveCount(2);
        blocks[0].Should().Be(new Block(2, "var a = 1;\n", false));
        blocks[1].Should().Be(new Block(6, "x.Y();\n", true));
    }

    /// <summary>A C# block: the line of its opening fence (1-based), its code, and whether it is marked a fragment.</summary>
    internal sealed record Block(int Line, string Code, bool Fragment);

    internal static List<Block> Blocks(IReadOnlyList<string> lines)
    {
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Count; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success || open.Groups[2].Value != "csharp") continue;
            var indent = open.Groups[1].Value.Length;
            var fragment = i > 0 && lines[i - 1].Trim() == FragmentMarker;
            var code = new System.Text.StringBuilder();
            var j = i + 1;
            for (; j < lines.Count && lines[j].Trim() != "```"; j++)
                code.Append(lines[j].Length >= indent && string.IsNullOrWhiteSpace(lines[j][..indent]) ? lines[j][indent..] : lines[j].TrimStart()).Append('\n');
            blocks.Add(new Block(i + 1, code.ToString(), fragment));
            i = j;
        }
        return blocks;
    }

    [GeneratedRegex(@"^(\s*)```(\w*)\s*$")]
    private static partial Regex Fence();
}
