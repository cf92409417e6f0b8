namespace AssetCompliance.Cli;

/// <summary>Finds the repository (the folder holding Pipeline.sln), where samples/ and tools/azurite live.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("Could not find the repository root (the folder with Pipeline.sln). Run the tool from inside the repository.");
    }
}
