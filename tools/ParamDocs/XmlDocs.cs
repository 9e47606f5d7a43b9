using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ParamDocs;

/// <summary>The XML documentation files of the assemblies (GenerateDocumentationFile), read as plain one-line text.</summary>
public sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> _members = new(StringComparer.Ordinal);
    private readonly HashSet<Assembly> _loaded = [];

    /// <summary>The summary of a property, following base types, as Markdown-ready text ("" when there is none).</summary>
    public string Summary(PropertyInfo property)
    {
        for (var type = property.DeclaringType; type is not null; type = type.BaseType)
        {
            Load(type.Assembly);
            if (_members.TryGetValue($"P:{type.FullName}.{property.Name}", out var member) && member.Element("summary") is { } summary)
                return Text(summary);
        }
        return "";
    }

    /// <summary>The summary of a type ("" when there is none).</summary>
    public string Summary(Type type)
    {
        Load(type.Assembly);
        return _members.TryGetValue($"T:{type.FullName}", out var member) && member.Element("summary") is { } summary ? Text(summary) : "";
    }

    private void Load(Assembly assembly)
    {
        if (!_loaded.Add(assembly)) return;
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
            throw new FileNotFoundException($"No XML documentation file next to {assembly.Location}; build the project with GenerateDocumentationFile.", path);
        foreach (var member in XDocument.Load(path).Descendants("member"))
            _members[(string)member.Attribute("name")!] = member;
    }

    private static string Text(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t: text.Append(t.Value); break;
                case XElement { Name.LocalName: "c" } c: text.Append('`').Append(c.Value).Append('`'); break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    var target = (string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? see.Value;
                    text.Append('`').Append(Short(target)).Append('`');
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } p: text.Append('`').Append((string?)p.Attribute("name")).Append('`'); break;
                case XElement { Name.LocalName: "para" } para: text.Append(' ').Append(Text(para)).Append(' '); break;
                case XElement other: text.Append(Text(other)); break;
            }
        }
        return Spaces().Replace(text.ToString(), " ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
    }

    /// <summary><c>P:A.B.C.D</c> → <c>C.D</c> (the type and member), <c>T:A.B.C</c> → <c>C</c>.</summary>
    private static string Short(string cref)
    {
        var colon = cref.IndexOf(':', StringComparison.Ordinal);
        var name = colon == 1 ? cref[2..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) name = name[..paren];
        var parts = name.Split('.');
        return cref.StartsWith("T:", StringComparison.Ordinal) || parts.Length < 2 ? parts[^1] : $"{parts[^2]}.{parts[^1]}";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
