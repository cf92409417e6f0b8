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

    private readonly Option<string?> _encoding = new("--encoding")
    {
        Description = "The file's encoding: utf-8, utf-16 (utf-16le, utf-16be) or windows-1252. Default: a byte-order mark, else UTF-8 when the whole file is valid UTF-8, else Windows-1252 when its other bytes all are; a file that is neither is refused.",
    };

    private readonly Option<string?> _sheet = new("--sheet")
    {
        Description = "The sheet of an .xlsx workbook to read (by name, any case). Default: the first sheet with a register header in its first 20 rows.",
    };

    public RegisterOptions()
    {
        _delimiter.AcceptOnlyFromAmong("comma", "semicolon", "tab", ",", ";");
        _encoding.AcceptOnlyFromAmong(RegisterEncoding.Names);
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_delimiter);
        command.Options.Add(_encoding);
        command.Options.Add(_sheet);
    }

    /// <summary>The reading options a command line gives.</summary>
    public RegisterReadOptions Read(ParseResult parse) => new()
    {
        Delimiter = parse.GetValue(_delimiter) is { } delimiter ? CsvDelimiter.Parse(delimiter) : null,
        Encoding = parse.GetValue(_encoding),
        Sheet = parse.GetValue(_sheet),
    };
}
