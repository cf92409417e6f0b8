using System.CommandLine;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Cli;

/// <summary>
/// The options that say how to read a register file, shared by <c>check</c> and <c>push</c> so both read a file the
/// same way: each overrides what is otherwise detected from the file.
/// </summary>
internal sealed class RegisterOptions
{
    private readonly Option<string?> _delimiter = new("--delimiter")
    {
        Description = "The CSV field delimiter: comma, semicolon or tab. Default: detected from the header and the first rows; a file two delimiters read equally well is refused.",
    };

    public RegisterOptions() => _delimiter.AcceptOnlyFromAmong("comma", "semicolon", "tab", ",", ";");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command) => command.Options.Add(_delimiter);

    /// <summary>The reading options a command line gives.</summary>
    public RegisterReadOptions Read(ParseResult parse) => new()
    {
        Delimiter = parse.GetValue(_delimiter) is { } delimiter ? CsvDelimiter.Parse(delimiter) : null,
    };
}
