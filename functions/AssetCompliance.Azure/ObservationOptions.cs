using System.ComponentModel.DataAnnotations;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Processing;

namespace AssetCompliance.Azure;

/// <summary>
/// How the pipeline places and ages network observations (issue 18), section <c>Observations</c>: the departments'
/// networks files and the not-seen window. Validated at start-up: a networks file that does not read stops the host
/// with the file's own error (file, entry and reason).
/// </summary>
public sealed class ObservationOptions : IValidatableObject
{
    public const string SectionName = "Observations";

    /// <summary>
    /// A networks file (docs/schemas/networks.v1.schema.json), or a folder whose <c>*.json</c> files are networks files,
    /// one per department. A relative path is read from the app's folder. Absent or empty: no department has one, and
    /// the segment of an observed address is unknown (never "not core").
    /// </summary>
    public string? Networks { get; set; }

    /// <summary>Days after which a registered device not observed is "not seen" (default 30, 1 to 3650).</summary>
    [Range(1, 3650, ErrorMessage = "Observations:NotSeenDays must be from 1 to 3650.")]
    public int NotSeenDays { get; set; } = ObservationSettings.DefaultNotSeenDays;

    /// <summary><see cref="Networks"/> as a full path, or null when none is set.</summary>
    public string? NetworksPath => string.IsNullOrWhiteSpace(Networks) ? null : Path.GetFullPath(Networks, AppContext.BaseDirectory);

    /// <summary>The settings the core reads (the networks files loaded).</summary>
    public ObservationSettings ToSettings() => new() { Networks = NetworkMaps.Load(NetworksPath), NotSeenDays = NotSeenDays };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? problem = null;
        try
        {
            NetworkMaps.Load(NetworksPath);
        }
        catch (ObservationReadException e)
        {
            problem = e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            problem = $"{NetworksPath}: {e.Message}";
        }

        if (problem is not null)
        {
            yield return new ValidationResult($"Observations:Networks: the networks file could not be read: {problem}", [nameof(Networks)]);
        }
    }
}
