using System.Reflection;
using System.Text.RegularExpressions;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The shape issue 16 gave the state: a records port of at most nine members, Core's State namespace independent of
/// Alerting (Alerting depends on State, never the reverse), and every Table property name written as a string literal
/// once in the Azure project, in its row codec, with constants used everywhere else (OData filters included: they are
/// built from the constants, so a name compared inside a filter literal counts as a second writing).
/// </summary>
public sealed partial class StatePortShapeTests
{
    private static readonly string AzureSources = Path.Combine(RepositoryPaths.Root, "functions", "AssetCompliance.Azure");

    [Fact]
    public void TheRecordsPortHasAtMostNineMembers()
    {
        var members = typeof(IRecordStore).GetMembers();
        Assert.True(members.Length <= 9, $"IRecordStore has {members.Length} members: {string.Join(", ", members.Select(m => m.Name))}");
    }

    [Fact]
    public void NothingInCoreStateRefersToAlerting()
    {
        var state = Path.Combine(RepositoryPaths.Root, "functions", "AssetCompliance.Core", "State");
        var offending = Directory.EnumerateFiles(state, "*.cs", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains("Alerting", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToArray();
        Assert.Empty(offending);

        // The compiled types too: no State type's base, field, property or method signature is an Alerting type.
        static bool In(Type t, string ns) => t.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal));
        var alerting = typeof(Core.Alerting.IAlertOutbox).Namespace!;
        var stateTypes = typeof(IRecordStore).Assembly.GetTypes().Where(t => In(t, typeof(IRecordStore).Namespace!)).ToArray();
        Assert.Contains(typeof(IRecordStore), stateTypes);
        var references = stateTypes.SelectMany(SignatureTypes).Where(t => In(t, alerting)).Select(t => t.FullName).Distinct().ToArray();
        Assert.Empty(references);
        // The same reading finds such a reference where there is one: the dispatcher's constructor takes the outbox port.
        Assert.Contains(typeof(Core.Alerting.IAlertOutbox), SignatureTypes(typeof(Core.Alerting.AlertDispatcher)));
    }

    [Fact]
    public void EveryTablePropertyNameIsAStringLiteralOnce()
    {
        var names = CodecPropertyNames();
        // The codecs were found: a reflection that found nothing would pass vacuously.
        Assert.Contains("RecordGz", names);
        Assert.Contains("LastClaimedAt", names);
        Assert.Contains("VersionTicks", names);
        Assert.True(names.Count >= 40, $"only {names.Count} property names found in the codecs");

        var sources = Directory.EnumerateFiles(AzureSources, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(file => Path.GetRelativePath(AzureSources, file), File.ReadAllText);
        Assert.True(sources.Count > 20, "the Azure project's sources were not found");
        Assert.Empty(Repeated(sources, names));
        // And no row is read or written under a name that is not a codec's constant: no entity indexer or typed getter
        // takes a literal in the folders that hold rows (Tables, NetBox).
        var undeclared = sources.Where(s => s.Key.StartsWith("Tables", StringComparison.Ordinal) || s.Key.StartsWith("NetBox", StringComparison.Ordinal))
            .SelectMany(s => UndeclaredAccess().Matches(s.Value).Select(m => $"{s.Key}: {m.Value}")).ToArray();
        Assert.Empty(undeclared);
        Assert.NotEmpty(UndeclaredAccess().Matches("var a = e[\"Kind\"]; var b = e.GetString($\"Part{i}\");"));
    }

    [GeneratedRegex(@"\[\s*\$?@?""|\.Get(?:String|Int32|Int64|Boolean|Double|Guid|DateTimeOffset|DateTime|Binary|BinaryData)\(\s*\$?@?""")]
    private static partial Regex UndeclaredAccess();

    [Fact]
    public void TheScannerFindsAPlantedDuplicate()
    {
        // The same check over sources given here: a name written twice (here once plainly, once as an interpolated
        // prefix) is reported, a name written once is not, and a longer literal that merely starts with it is no use.
        var sources = new Dictionary<string, string>
        {
            ["A.cs"] = "var a = new TableEntity(p, r) { [\"RecordGz\"] = x, [\"Kind\"] = k };",
            ["B.cs"] = "var b = entity.GetBinary($\"RecordGz{i}\"); var c = \"RecordGzip\"; // Kind",
        };
        Assert.Equal(["RecordGz"], Repeated(sources, ["RecordGz", "Kind", "Commands"]));
        Assert.Equal(2, Occurrences("x[\"Status\"] = 1; y[$\"Status{s}\"] = 2; z = \"Statuses\";", "Status"));
        // A name compared inside a filter literal counts, plain or interpolated; a longer name or prose does not.
        Assert.Equal(3, Occurrences("f = \"Status eq {0}\"; g = $\"PartitionKey eq {p} and Status ne {s}\"; h = \" and (Status le {0} or Status ge {1})\"; i = \"OldStatus eq {0}\"; j = \"Status is fine\";", "Status"));
        Assert.Equal(["Status"], Repeated(new Dictionary<string, string> { ["A.cs"] = "const string S = \"Status\";", ["B.cs"] = "var f = Filter(\"Status eq {0}\", v);" }, ["Status"]));
    }

    /// <summary>Every property name the row codecs declare: the string constants of their nested <c>Names</c> classes.</summary>
    private static List<string> CodecPropertyNames() =>
    [
        .. typeof(ComplianceTables).Assembly.GetTypes()
            .Where(t => t is { IsNested: true, Name: "Names" })
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!),
    ];

    /// <summary>The names written as a string literal more than once across <paramref name="sources"/>, with where.</summary>
    private static string[] Repeated(IReadOnlyDictionary<string, string> sources, IReadOnlyCollection<string> names) =>
        [.. names.Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Count: sources.Values.Sum(source => Occurrences(source, name))))
            .Where(n => n.Count > 1)
            .Select(n => n.Name)];

    /// <summary>
    /// How often <paramref name="name"/> is a string literal's whole text, or the text before the first hole of an
    /// interpolated one (<c>$"Status{s}"</c> writes the name as much as <c>"Status"</c> does).
    /// </summary>
    internal static int Occurrences(string source, string name) =>
        Literal().Matches(source).Sum(m => m.Groups["text"].Value is var text
            && (text == name || (m.Groups["interpolated"].Success && text.StartsWith(name + "{", StringComparison.Ordinal)))
                ? 1
                : Compared(text, name));

    /// <summary>
    /// How often a filter written as one literal (<c>"Status eq {0}"</c>, <c>$"Kind eq {kind}"</c>) compares the
    /// property <paramref name="name"/> (once per literal: a key range compares <c>RowKey</c> twice in one writing). A
    /// name inside a larger literal is written there as much as a lone one.
    /// </summary>
    private static int Compared(string text, string name) =>
        Regex.IsMatch(text, $@"(?<![A-Za-z0-9_]){Regex.Escape(name)}\s+(?:eq|ne|gt|ge|lt|le)\s", RegexOptions.CultureInvariant) ? 1 : 0;

    [GeneratedRegex(@"(?<interpolated>\$)?@?""(?<text>(?:[^""\\\r\n]|\\.)*)""")]
    private static partial Regex Literal();

    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var direct = new List<Type>();
        if (type.BaseType is { } baseType) direct.Add(baseType);
        direct.AddRange(type.GetInterfaces());
        direct.AddRange(type.GetFields(all).Select(f => f.FieldType));
        direct.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            direct.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info) direct.Add(info.ReturnType);
        }

        return direct.SelectMany(Unwrap);
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var inner in Unwrap(element)) yield return inner;
            yield break;
        }

        yield return type;
        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var inner in Unwrap(argument)) yield return inner;
        }
    }
}
