namespace AssetCompliance.Cli;

/// <summary>
/// The files the CLI's commands read and write: why an input cannot be read, why a report cannot be written where asked
/// (a folder, a missing folder, the input itself or a link to it), and opening both so that a report never overwrites
/// the register it is about. Shared by check, push and reconcile, so they refuse the same things with the same words.
/// </summary>
internal static class CommandFiles
{
    /// <summary>Why <paramref name="path"/> cannot be read, or null.</summary>
    public static string? InputProblem(string path) =>
        Directory.Exists(path) ? $"'{path}' is a folder, not a register file."
        : !File.Exists(path) ? $"'{path}' does not exist."
        : null;

    /// <summary>Why the report cannot be written to <paramref name="outputPath"/>, or null; links are followed, so a link to the register is the register.</summary>
    public static string? OutputProblem(string outputPath, string inputPath)
    {
        var full = Path.GetFullPath(outputPath);
        var folder = Path.GetDirectoryName(full);
        return Directory.Exists(full) ? $"--output '{outputPath}' is a folder; give a file name."
            : folder is not null && !Directory.Exists(folder) ? $"--output '{outputPath}': the folder '{folder}' does not exist."
            : string.Equals(full, Path.GetFullPath(inputPath), StringComparison.Ordinal) ? $"--output '{outputPath}' is the register itself; writing the report there would destroy it."
            : string.Equals(RealPath(full), RealPath(inputPath), StringComparison.Ordinal) ? $"--output '{outputPath}' is a link to the register '{inputPath}'; writing the report there would destroy the register."
            : null;
    }

    /// <summary>
    /// The path with every symbolic link in it resolved (as realpath(3) does), for telling whether two paths name the
    /// same file; a path that does not exist yet keeps its missing part as written.
    /// </summary>
    internal static string RealPath(string path, int depth = 0)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (depth < 40 && info.LinkTarget is { } target)
            {
                current = RealPath(Path.GetFullPath(target, Path.GetDirectoryName(current) ?? root), depth + 1);
            }
        }

        return current;
    }

    /// <summary>The file at <paramref name="path"/> opened to read in sequence, or null after saying why it cannot be.</summary>
    public static async Task<FileStream?> OpenInputAsync(string path, TextWriter errorOutput)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errorOutput.WriteLineAsync($"error: '{path}' cannot be read: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Opens the report file without emptying it, and empties it only once it is known not to be the open register:
    /// opening it exclusively fails while the register is open when they are one file (a hard link; .NET locks files
    /// it opens, advisory on Linux), and, where locks are not kept (some network file systems), a file of the
    /// register's length that starts with the same bytes is taken to be the register and left alone.
    /// </summary>
    public static FileStream? OpenOutput(string outputPath, FileStream input, out string? problem)
    {
        problem = null;
        var existed = File.Exists(outputPath);
        FileStream output;
        try
        {
            output = new FileStream(outputPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            problem = $"--output '{outputPath}' cannot be opened for writing: {e.Message} It may be the register itself (a hard link to it), or another program has it open; it is left as it is.";
            return null;
        }

        if (existed && output.CanSeek && output.Length > 0 && output.Length == input.Length && SameStart(output, input))
        {
            output.Dispose();
            problem = $"--output '{outputPath}' holds the same bytes as the register '{input.Name}' (the register itself, through a hard link?); it is left as it is.";
            return null;
        }

        if (output.CanSeek && output.Length > 0)
        {
            output.SetLength(0);
        }

        return output;
    }

    /// <summary>Whether the report file starts with the same bytes as the register (up to 1 MiB); both positions are put back.</summary>
    private static bool SameStart(FileStream output, FileStream input)
    {
        const int Compared = 1 << 20;
        var (a, b) = (new byte[Compared], new byte[Compared]);
        var position = input.Position;
        try
        {
            input.Position = 0;
            var read = input.ReadAtLeast(a, Compared, throwOnEndOfStream: false);
            return output.ReadAtLeast(b, Compared, throwOnEndOfStream: false) == read && a.AsSpan(0, read).SequenceEqual(b.AsSpan(0, read));
        }
        finally
        {
            (input.Position, output.Position) = (position, 0);
        }
    }
}
