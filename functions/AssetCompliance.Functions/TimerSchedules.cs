using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AssetCompliance.Functions;

/// <summary>
/// The app settings the timer triggers name (<c>[TimerTrigger("%DigestSchedule%")]</c>), found on the function classes
/// by reflection rather than listed, and validated at start-up: the Functions host resolves them itself, and a missing
/// one would only disable that one timer with a host-log line, so a sweep or the digest would silently never run.
/// </summary>
public sealed partial class TimerSchedules
{
    /// <summary>Each setting a timer trigger of this app names, with the function that uses it.</summary>
    public static IReadOnlyList<(string Setting, string Function)> Settings { get; } =
    [
        .. typeof(TimerSchedules).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).OfType<TimerTriggerAttribute>()
                .Select(a => (Match: AppSetting().Match(a.Schedule), Function: m.Name)))
            .Where(s => s.Match.Success)
            .Select(s => (s.Match.Groups["name"].Value, s.Function)),
    ];

    /// <summary>
    /// Errors for <paramref name="configuration"/>: a schedule setting missing, or neither a 5- or 6-field NCRONTAB
    /// expression nor a <c>hh:mm:ss</c> interval; empty when all are set. Each error names the setting.
    /// </summary>
    public static IReadOnlyList<string> Errors(IConfiguration configuration) =>
    [
        .. Settings.Select(s => (s.Setting, s.Function, Value: configuration[s.Setting]))
            .Where(s => !IsSchedule(s.Value))
            .Select(s => s.Value is null or { Length: 0 }
                ? $"The app setting {s.Setting} (the schedule of {s.Function}) is missing."
                : $"The app setting {s.Setting} (the schedule of {s.Function}) is '{s.Value}', neither an NCRONTAB expression of 5 or 6 fields nor an hh:mm:ss interval."),
    ];

    private static bool IsSchedule(string? value) =>
        value is { Length: > 0 } && (value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is 5 or 6 || TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _));

    [GeneratedRegex(@"^%(?<name>[^%]+)%$")]
    private static partial Regex AppSetting();

    /// <summary>Fails the options read (so the start, with ValidateOnStart) while any schedule setting is wrong.</summary>
    internal sealed class Validation(IConfiguration configuration) : IValidateOptions<TimerSchedules>
    {
        public ValidateOptionsResult Validate(string? name, TimerSchedules options) =>
            Errors(configuration) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
