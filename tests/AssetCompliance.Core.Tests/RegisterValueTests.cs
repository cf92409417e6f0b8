using System.Globalization;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using CsCheck;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Values as people type them (issue 15, item 3): every form is asserted with the value read and the warning (none
/// for a synonym of the documented value, "read as …" for a guess, unread for a value not read), and the guesses
/// lean to the stricter reading.
/// </summary>
public sealed class RegisterValueTests
{
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";
    private const string Seed = "0N0XIzNsQ0O2";
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    private static RegisterRow Row(string mac = "", string type = "camera", string sensitive = "true", string installed = "2023-01-01", string status = "in-service", string manufacturer = "Hikvision", string model = "DS-2CD2143G2-I") =>
        Assert.Single(RegisterReader.ReadCsv($"{Header}\nHO-1,HO,{manufacturer},{model},S1,\"{mac.Replace("\"", "\"\"", StringComparison.Ordinal)}\",\"{type}\",HO-SITE,Marsham Street,\"{sensitive}\",segregated,\"{installed}\",\"{status}\"\n"));

    private static CellWarning? Warning(RegisterRow row, string column) => row.Warnings.SingleOrDefault(w => w.Column == column);

    /// <summary>No warning on <paramref name="column"/> when <paramref name="message"/> is null, else one that contains it, unread as said.</summary>
    private static void AssertWarning(RegisterRow row, string column, string? message, bool unread)
    {
        var warning = Warning(row, column);
        if (message is null)
        {
            Assert.Null(warning);
            return;
        }

        Assert.NotNull(warning);
        Assert.Contains(message, warning.Message, StringComparison.Ordinal);
        Assert.Equal(unread, warning.Unread);
    }

    private static ComplianceStatus Verdict(RegisterRow row) => RegisterEvaluation.Evaluate(Identifier, Evaluator, row).Evaluation.Status;

    /// <summary>Generated cases from one fixed seed: the same on every run.</summary>
    private static void ForAll<T>(Gen<T> gen, int count, Action<T> assert) =>
        Check.Sample(gen.Array[count], inputs => Array.ForEach(inputs, assert), seed: Seed, iter: 1, threads: 1);

    // Sensitivity.

    [Theory]
    [InlineData("yes", true, null)]
    [InlineData("Y", true, null)]
    [InlineData("1", true, null)]
    [InlineData("TRUE", true, null)]
    [InlineData("Sensitive", true, null)]
    [InlineData("\u2713", true, null)]
    [InlineData("no", false, null)]
    [InlineData("N", false, null)]
    [InlineData("0", false, null)]
    [InlineData("False", false, null)]
    [InlineData("Not sensitive", false, null)]
    [InlineData("non-sensitive", false, null)]
    [InlineData("\u2717", false, null)]
    [InlineData("Yes.", true, null)]
    [InlineData("Yes - sensitive", true, null)]
    [InlineData("Not known", null, "not clearly yes or no")]
    [InlineData("High", true, "read as true (sensitive)")]
    [InlineData("highly sensitive", true, "read as true (sensitive)")]
    [InlineData("Low", null, "not clearly yes or no")]
    [InlineData("Medium", null, "not clearly yes or no")]
    [InlineData("N/A", null, "not clearly yes or no")]
    [InlineData("TBC", null, "not clearly yes or no")]
    [InlineData("OFFICIAL-SENSITIVE", null, "government security classification")]
    [InlineData("maybe", null, "is not true, false")]
    public void Sensitivity_is_read_only_when_it_is_clear_and_never_guessed_false(string text, bool? expected, string? message)
    {
        var row = Row(sensitive: text);

        Assert.Equal(expected, row.Device!.Site!.Sensitive);
        AssertWarning(row, "site_sensitive", message, unread: expected is null);
    }

    // Dates.

    [Theory]
    [InlineData("2023-03-13", "2023-03-13", false, null)]
    [InlineData("13/03/2023", "2023-03-13", false, "day/month/year (the UK order)")]
    [InlineData("13-03-2023", "2023-03-13", false, "day/month/year (the UK order)")]
    [InlineData("13.03.2023", "2023-03-13", false, "day/month/year (the UK order)")]
    [InlineData("13 Mar 2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("13-MAR-2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("13 March 2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("13th March 2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("13th of March 2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("Monday, 13 March 2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("Mon 13 Mar 2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("13 Sept 2023", "2023-09-13", false, "read as 2023-09-13")]
    [InlineData("13 Mar. 2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("13/Mar/2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("13 March, 2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("13 Mar 2023 10:00", "2023-03-13", false, "the time of day is ignored")]
    [InlineData("March 13, 2023", "2023-03-13", false, "read as 2023-03-13")]
    [InlineData("2023-03-13T10:00:00Z", "2023-03-13", false, "time of day is ignored")]
    [InlineData("2023-03-13T10:00:00.000+01:00", "2023-03-13", false, "time of day is ignored")]
    [InlineData("2023-3-13", "2023-03-13", false, "year/month/day")]
    [InlineData("20230313", "2023-03-13", false, "YYYYMMDD")]
    [InlineData("03/04/2023", "2023-04-03", false, "ambiguous: in month/day order (US) it would be 2023-03-04")]
    [InlineData("3/4/2023", "2023-04-03", false, "ambiguous")]
    [InlineData("03/13/2023", null, true, "only in month/day/year order (US)")]
    [InlineData("13/03/23", null, true, "two-digit year")]
    [InlineData("44998", null, true, "Excel date serial number (2023-03-13 in Excel's 1900 date system)")]
    [InlineData("20231313", null, true, "not a date")]
    [InlineData("30 Feb 2023", null, true, "not a date")]
    public void Dates_are_read_in_iso_and_uk_forms_with_ambiguity_warned_and_us_only_dates_not_read(string text, string? expected, bool unread, string? message)
    {
        var row = Row(installed: text);

        Assert.Equal(expected, row.Device!.InstalledOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        AssertWarning(row, "installed_on", message, unread: unread);
    }

    [Fact]
    public void Every_valid_day_first_date_reads_as_itself_and_is_warned_ambiguous_exactly_when_month_first_would_differ()
    {
        var dates = Gen.Int[0, 200 * 366].Select(d => new DateOnly(1950, 1, 1).AddDays(d));
        ForAll(Gen.Select(dates, Gen.Char["/.-"]), 500, c =>
        {
            var (date, separator) = c;
            var text = string.Create(CultureInfo.InvariantCulture, $"{date.Day:00}{separator}{date.Month:00}{separator}{date.Year}");
            Assert.Equal(date, RegisterDates.Read(text, out var warning, out var unread));
            Assert.False(unread);
            Assert.Equal(date.Day <= 12 && date.Day != date.Month, warning!.Contains("ambiguous", StringComparison.Ordinal));
        });
    }

    // Device types.

    [Theory]
    [InlineData("camera", DeviceType.Camera, null)]
    [InlineData("IP Camera", DeviceType.Camera, null)]
    [InlineData("Fixed Dome", DeviceType.Camera, null)]
    [InlineData("Dome", DeviceType.Camera, null)]
    [InlineData("Bullet", DeviceType.Camera, null)]
    [InlineData("PTZ", DeviceType.Camera, null)]
    [InlineData("Turret", DeviceType.Camera, null)]
    [InlineData("Fisheye", DeviceType.Camera, null)]
    [InlineData("ANPR camera", DeviceType.Camera, null)]
    [InlineData("ip-camera", DeviceType.Camera, null)]
    [InlineData("CCTV", DeviceType.Camera, "read as camera: CCTV may name any part")]
    [InlineData("NVR", DeviceType.Nvr, null)]
    [InlineData("Network Video Recorder", DeviceType.Nvr, null)]
    [InlineData("Recorder", DeviceType.Nvr, "read as nvr: a recorder")]
    [InlineData("DVR", DeviceType.Dvr, null)]
    [InlineData("XVR", DeviceType.Dvr, null)]
    [InlineData("Encoder", DeviceType.Encoder, null)]
    [InlineData("Video Server", DeviceType.Encoder, null)]
    [InlineData("video-intercom", DeviceType.VideoIntercom, null)]
    [InlineData("Door Station", DeviceType.VideoIntercom, null)]
    [InlineData("Door Entry", DeviceType.VideoIntercom, "read as video-intercom: a door entry or intercom unit may be audio-only")]
    [InlineData("Intercom", DeviceType.VideoIntercom, "read as video-intercom")]
    [InlineData("Access Control Panel", DeviceType.AccessControl, null)]
    [InlineData("ACCESS_CONTROL", DeviceType.AccessControl, null)]
    [InlineData("Door Controller", DeviceType.AccessControl, null)]
    [InlineData("Switch", DeviceType.Network, null)]
    [InlineData("Router", DeviceType.Network, null)]
    [InlineData("Access Point", DeviceType.Network, null)]
    [InlineData("Wi-Fi Access Point", DeviceType.Network, null)]
    [InlineData("IP Cameras", DeviceType.Camera, null)]
    [InlineData("Switches", DeviceType.Network, null)]
    [InlineData("Other", DeviceType.Other, null)]
    [InlineData("Laptop", DeviceType.Other, null)]
    [InlineData("CCTV monitor", DeviceType.Camera, "read as camera: the words 'cctv' are read, the rest ignored; CCTV may name any part")]
    [InlineData("Printer", DeviceType.Other, null)]
    [InlineData("Indoor Monitor", DeviceType.VideoIntercom, null)]
    [InlineData("Wireless AP", DeviceType.Network, null)]
    [InlineData("CCTV Camera - Dome 4MP", DeviceType.Camera, "read as camera: the words 'cctv camera', 'camera', 'dome', 'cctv' are read, the rest ignored")]
    [InlineData("Network Dome Camera", DeviceType.Camera, "read as camera: the words 'dome camera'")]
    [InlineData("Network Video Recorder 16ch", DeviceType.Nvr, "read as nvr: the words 'network video recorder'")]
    [InlineData("PoE Switch 24 port", DeviceType.Network, "read as network: the words 'poe switch'")]
    [InlineData("Video intercom door station", DeviceType.VideoIntercom, "read as video-intercom: the words")]
    public void Device_type_words_are_read_as_the_contracts_types_and_guesses_say_what_they_were_read_as(string text, DeviceType expected, string? message)
    {
        var row = Row(type: text);

        Assert.Equal(expected, row.Device!.DeviceType);
        AssertWarning(row, "device_type", message, unread: false);
    }

    [Theory]
    [InlineData("webcam")]
    [InlineData("DVR/NVR")]
    [InlineData("Camera with intercom")]
    [InlineData("Doorbell")]
    [InlineData("Hologram")]
    [InlineData("PIR sensor")]
    public void An_unknown_device_type_stays_unknown_with_an_unread_warning_and_a_prc_device_is_held_for_review(string text)
    {
        var row = Row(type: text);

        Assert.Null(row.Device!.DeviceType);
        var warning = Warning(row, "device_type")!;
        Assert.True(warning.Unread);
        Assert.Contains("is not a known device type", warning.Message, StringComparison.Ordinal);
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(row));
    }

    [Fact]
    public void No_device_type_word_maps_to_two_types_and_every_contract_name_is_a_word()
    {
        var clashes = RegisterValues.DeviceTypeWords.GroupBy(w => RegisterValues.Key(w.Word)).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.Empty(clashes);
        Assert.All(DeviceTypes.AllNames, name => Assert.True(RegisterValues.TryDeviceType(name, out var type, out var guess) && type.ToWire() == name && guess is null, name));
        // The plural rule never turns one word into another type's.
        Assert.All(RegisterValues.DeviceTypeWords, w => Assert.True(RegisterValues.TryDeviceType(w.Word + "s", out var plural, out _) && plural == w.Type, w.Word + "s"));
    }

    [Fact]
    public void A_removal_is_never_read_from_a_phrase_that_may_deny_or_delay_it()
    {
        var removals = RegisterValues.StatusWords.Where(w => w.Kind == AssetEventKind.Removed).Select(w => w.Word).ToArray();
        string[] qualifiers = ["not", "to be", "pending", "awaiting", "due to be", "never", "scheduled to be", "planned", "being"];
        var phrases = Gen.Select(Gen.Int[0, removals.Length - 1], Gen.Int[0, qualifiers.Length - 1], Gen.Bool)
            .Select(c => c.Item3 ? $"{qualifiers[c.Item2]} {removals[c.Item1]}" : $"{removals[c.Item1]} ({qualifiers[c.Item2]})");
        ForAll(phrases, 300, phrase =>
        {
            var read = RegisterValues.TryStatus(phrase, out var kind, out _);
            Assert.False(read && kind == AssetEventKind.Removed, phrase);
        });
    }

    [Fact]
    public void A_cell_has_a_character_problem_exactly_when_one_of_its_characters_is_one_whatever_else_it_holds()
    {
        // The clean-cell search is vectorised; the reference is the character rule itself, tried on every UTF-16 unit.
        for (var i = 0; i < 0x10000; i++)
        {
            var c = (char)i;
            foreach (var keep in new[] { false, true })
            {
                var bad = c == '\uFFFD' || CellCharacters.IsBadCharacter(c, keep);
                Assert.True(bad == CellCharacters.CharacterProblem($"Axis P3245 {c} dome camera, level 2", keep) is not null, $"U+{i:X4} keep={keep}");
            }
        }

        ForAll(Gen.String[Gen.Char["aZ9 \t\n\r\u0000\u001F\u007F\u0085\u009F\uFEFF\uFFFD\uFFFE\uFFFFé"], 0, 80], 2_000, text =>
        {
            var expected = text.Any(c => c == '\uFFFD' || CellCharacters.IsBadCharacter(c, keepLineBreaks: false));
            Assert.Equal(expected, CellCharacters.CharacterProblem(text, keepLineBreaks: false) is not null);
        });
    }

    [Theory]
    [InlineData("In Service", "in service")]
    [InlineData("in service", "in service")]
    [InlineData("  IN--SERVICE__(live) ", "in service live")]
    [InlineData("", "")]
    [InlineData("---", "")]
    [InlineData("Ölçüm Merkezi", "ölçüm merkezi")]
    [InlineData("camera\u200Bdome", "camera dome")]
    public void A_key_is_the_lowercased_words_joined_by_single_spaces(string text, string key) =>
        Assert.Equal(key, RegisterValues.Key(text));

    [Fact]
    public void A_key_is_what_splitting_into_words_and_lowercasing_each_gives_for_any_text()
    {
        // The reference reading: words of letters and decimal digits (char.IsLetterOrDigit), each lowercased, joined by single spaces.
        static string Reference(string text) => string.Join(' ', System.Text.RegularExpressions.Regex
            .Split(text, "[^\\p{L}\\p{Nd}]+").Where(w => w.Length > 0).Select(w => w.ToLowerInvariant()));
        ForAll(Gen.String[Gen.Char["aZ9 -_\t.İıßé\u200B\u00A0\uD83D\uDE00Ⅻ"], 0, 300], 2_000, text => Assert.Equal(Reference(text), RegisterValues.Key(text)));
    }

    [Fact]
    public void No_status_word_maps_to_two_readings_and_both_contract_words_are_read_silently()
    {
        var clashes = RegisterValues.StatusWords.GroupBy(w => RegisterValues.Key(w.Word)).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.Empty(clashes);
        Assert.True(RegisterValues.TryStatus("in-service", out var inService, out var g1) && inService == AssetEventKind.Upserted && g1 is null);
        Assert.True(RegisterValues.TryStatus("removed", out var removed, out var g2) && removed == AssetEventKind.Removed && g2 is null);
    }

    [Fact]
    public void Any_case_and_punctuation_of_a_word_reads_as_the_word_does()
    {
        var words = Gen.Int[0, RegisterValues.DeviceTypeWords.Length - 1].Select(i => RegisterValues.DeviceTypeWords[i]);
        string[] separatorList = [" ", "-", "_", "  ", " / ", "."];
        var separators = Gen.Int[0, separatorList.Length - 1].Select(i => separatorList[i]);
        ForAll(Gen.Select(words, separators, Gen.Bool, Gen.Bool), 400, c =>
        {
            var ((word, type, guess), separator, upper, padded) = c;
            var written = string.Join(separator, word.Split(' ').Select((w, i) => upper ^ (i % 2 == 0) ? w.ToUpperInvariant() : w));
            written = padded ? $" {written} " : written;
            Assert.True(RegisterValues.TryDeviceType(written, out var read, out var readGuess), written);
            Assert.Equal((type, guess), (read, readGuess));
        });
    }

    // Statuses.

    [Theory]
    [InlineData("in-service", AssetEventKind.Upserted, null)]
    [InlineData("Active", AssetEventKind.Upserted, null)]
    [InlineData("In use", AssetEventKind.Upserted, null)]
    [InlineData("In Service", AssetEventKind.Upserted, null)]
    [InlineData("Live", AssetEventKind.Upserted, null)]
    [InlineData("Installed", AssetEventKind.Upserted, null)]
    [InlineData("Deployed", AssetEventKind.Upserted, null)]
    [InlineData("Operational", AssetEventKind.Upserted, null)]
    [InlineData("Spare", AssetEventKind.Upserted, "read as in service: the device is still held")]
    [InlineData("In stock", AssetEventKind.Upserted, "read as in service: the device is still held")]
    [InlineData("Faulty", AssetEventKind.Upserted, "read as in service: the device is still held")]
    [InlineData("Planned", AssetEventKind.Upserted, "read as in service: the device is planned")]
    [InlineData("On order", AssetEventKind.Upserted, "read as in service: the device is planned")]
    [InlineData("Lost", AssetEventKind.Upserted, "read as in service: where the device is is not known")]
    [InlineData("Lost/Stolen", AssetEventKind.Upserted, "read as in service: where the device is is not known")]
    [InlineData("Pending disposal", AssetEventKind.Upserted, "read as in service: the device is not removed yet")]
    [InlineData("End of life", AssetEventKind.Upserted, "read as in service: an inactive or unsupported device")]
    [InlineData("Inactive", AssetEventKind.Upserted, "read as in service: an inactive")]
    [InlineData("Ready to Deploy", AssetEventKind.Upserted, "read as in service: the device is still held")]
    [InlineData("Disconnected", AssetEventKind.Upserted, "read as in service: an inactive")]
    [InlineData("Archived", AssetEventKind.Upserted, "read as in service: the device is still held")]
    [InlineData("removed", AssetEventKind.Removed, null)]
    [InlineData("Retired", AssetEventKind.Removed, null)]
    [InlineData("Disposed", AssetEventKind.Removed, null)]
    [InlineData("Decommissioned", AssetEventKind.Removed, null)]
    [InlineData("Removed", AssetEventKind.Removed, null)]
    [InlineData("Scrapped", AssetEventKind.Removed, null)]
    [InlineData("Written off", AssetEventKind.Removed, null)]
    [InlineData("Stolen", AssetEventKind.Removed, "read as removed: a stolen device")]
    [InlineData("Retired - disposed", AssetEventKind.Removed, "read as removed: the words")]
    [InlineData("Decommissioned 2021", AssetEventKind.Removed, "read as removed: the words 'decommissioned' are read")]
    [InlineData("In use (spare)", AssetEventKind.Upserted, "read as in service: the words")]
    [InlineData("Not in use", AssetEventKind.Upserted, "read as in service: the words 'in use'")]
    public void Status_words_map_to_in_service_or_removed_and_a_device_that_may_be_connected_is_never_removed(string text, AssetEventKind expected, string? message)
    {
        var row = Row(status: text);

        Assert.Equal(expected, row.Kind);
        Assert.Equal(expected == AssetEventKind.Removed ? ComplianceStatus.Removed : ComplianceStatus.NonCompliant, Verdict(row));
        AssertWarning(row, "status", message, unread: false);
    }

    [Theory]
    [InlineData("Quarantined")]
    [InlineData("Removed - pending disposal")]
    [InlineData("Not retired")]
    [InlineData("To be decommissioned")]
    [InlineData("Scheduled for removal")]
    public void A_status_that_is_unknown_or_may_deny_a_removal_is_evaluated_as_in_service_with_an_unread_warning(string text)
    {
        var row = Row(status: text);

        Assert.Equal(AssetEventKind.Upserted, row.Kind);
        Assert.True(Warning(row, "status")!.Unread);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row));
    }

    [Fact]
    public void An_unknown_status_is_evaluated_as_in_service_with_an_unread_warning_and_a_guessed_one_is_pushed_as_read()
    {
        var unknown = Row(status: "Quarantined");
        Assert.Equal(AssetEventKind.Upserted, unknown.Kind);
        Assert.True(Warning(unknown, "status")!.Unread);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(unknown));

        var spare = RegisterEvents.From([Row(status: "Spare")], "HO", 1, DateTimeOffset.UnixEpoch);
        var refused = RegisterEvents.From([unknown], "HO", 1, DateTimeOffset.UnixEpoch);
        Assert.Single(spare.Events);
        Assert.Contains(AssetEventTypes.Upserted, System.Text.Encoding.UTF8.GetString(spare.Events[0].Body.Span), StringComparison.Ordinal);
        Assert.Empty(refused.Events);
        Assert.Contains("could not be read", Assert.Single(refused.Errors).Reason, StringComparison.Ordinal);
    }

    // MACs.

    [Theory]
    [InlineData("BC:AD:28:4F:11:02", "BC:AD:28:4F:11:02", null)]
    [InlineData("bc-ad-28-4f-11-02", "bc-ad-28-4f-11-02", null)]
    [InlineData("bcad.284f.1102", "bcad.284f.1102", null)]
    [InlineData("BCAD284F1102", "BCAD284F1102", null)]
    [InlineData("BC AD 28 4F 11 02", "BC:AD:28:4F:11:02", null)]
    [InlineData("bcad-284f-1102", "BC:AD:28:4F:11:02", null)]
    [InlineData("  bc:ad:28:4f:11:02  ", "bc:ad:28:4f:11:02", null)]
    [InlineData("MAC: BC:AD:28:4F:11:02", "BC:AD:28:4F:11:02", null)]
    [InlineData("mac address - bcad.284f.1102", "bcad.284f.1102", null)]
    [InlineData("HWaddr bc:ad:28:4f:11:02", "bc:ad:28:4f:11:02", null)]
    [InlineData("bc:ad:28:4f:11:02 (eth0)", "bc:ad:28:4f:11:02", null)]
    [InlineData("LAN: BC:AD:28:4F:11:02; WiFi: BC:AD:28:4F:11:03", "BC:AD:28:4F:11:02", "holds 2 MAC addresses")]
    [InlineData("bc:ad:28:4f:11:2", "BC:AD:28:4F:11:02", "read as BC:AD:28:4F:11:02, with the leading zeros of its one-digit groups restored")]
    [InlineData("BC:AD:28:4F:11:02; BC:AD:28:4F:11:03", "BC:AD:28:4F:11:02", "holds 2 MAC addresses; the contract holds one per device, so the first, BC:AD:28:4F:11:02, is read")]
    [InlineData("BC:AD:28:4F:11:02, bcad.284f.1104", "BC:AD:28:4F:11:02", "holds 2 MAC addresses")]
    [InlineData("BC:AD:28:4F:11:02\nBC:AD:28:4F:11:03", "BC:AD:28:4F:11:02", "holds 2 MAC addresses")]
    [InlineData("BC:AD:28:4F:11:02 BC:AD:28:4F:11:03", "BC:AD:28:4F:11:02", "holds 2 MAC addresses")]
    [InlineData("[\"bc:ad:28:4f:11:02\",\"bc:ad:28:4f:11:03\"]", "BC:AD:28:4F:11:02", "holds 2 MAC addresses")]
    [InlineData("[\"bc:ad:28:4f:11:02\"]", "bc:ad:28:4f:11:02", null)]
    [InlineData("[ 'BC-AD-28-4F-11-02', 'BC-AD-28-4F-11-03' ]", "BC:AD:28:4F:11:02", "holds 2 MAC addresses")]
    public void Macs_in_every_common_notation_are_mac_evidence(string text, string expected, string? message)
    {
        // Only the MAC block (BC:AD:28, Hikvision) says who made this relabelled camera.
        var row = Row(mac: text, manufacturer: "Secure View", model: "SV-100");

        Assert.Equal(expected, row.Device!.MacAddress);
        Assert.Equal("hikvision", Identifier.Identify(row.Device.Manufacturer, row.Device.Model, row.Device.MacAddress).Vendor?.Key);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row));
        AssertWarning(row, "mac_address", message, unread: false);
    }

    [Theory]
    [InlineData("1.23457E+11", "scientific notation")]
    [InlineData("4.419E+11", "scientific notation")]
    [InlineData("1122334455", "is a number of 10 digits: Excel drops a MAC's leading zeros")]
    [InlineData("12233445566", "is 11 digits, one short of a MAC")]
    [InlineData("00:BC:99:12:34:5", "looks cut short (11 hex digits, not 12)")]
    [InlineData("00BC9912345", "holds 11 hex digits, not a MAC's 12 (cut short?)")]
    [InlineData("c:ad:28:4f:11:12", "has a one-digit group in its block")]
    [InlineData("bc:ad:2:4f:11:12", "has a one-digit group in its block")]
    [InlineData("00:BC:99:12:34", "holds 10 hex digits")]
    [InlineData("00:BC:99:12:34:56:78", "holds 14 hex digits")]
    [InlineData("00:BC-99:12:34:56", "mixes separators")]
    [InlineData("BC:AD:28:4F:11:02; 00:00:0C:12:34:56", "holds 2 MAC addresses in 2 different blocks (BC:AD:28, 00:00:0C)")]
    [InlineData("BC:AD:28:4F:11:02; n/a", "holds 2 values, and 'n/a' is not a MAC address")]
    [InlineData("BC:AD:28:4F:11:02; 1.23457E+11", "holds 2 values, and '1.23457E+11' is a number in scientific notation")]
    [InlineData("[\"bc:ad:28:4f:11:02\",\"00:00:0c:12:34:56\"]", "holds 2 MAC addresses in 2 different blocks (BC:AD:28, 00:00:0C)")]
    [InlineData("zz:zz", "is not a MAC address")]
    public void A_mac_that_is_not_certain_is_no_mac_evidence_with_the_reason_and_the_device_is_kept(string text, string message)
    {
        var row = Row(mac: text, manufacturer: "Secure View", model: "SV-100");

        Assert.NotNull(row.Device);
        Assert.Null(row.Device.MacAddress);
        var warning = Warning(row, "mac_address")!;
        Assert.True(warning.Unread);
        Assert.Contains(message, warning.Message, StringComparison.Ordinal);
        Assert.Contains("no MAC evidence", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no MAC evidence; no MAC evidence", warning.Message, StringComparison.Ordinal);
        // Unknown maker at a sensitive site: never cleared.
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(row));
    }

    [Theory]
    [InlineData(1122334455d, "Excel drops a MAC's leading zeros")]
    [InlineData(12233445566d, "is 11 digits, one short of a MAC")]
    [InlineData(123456789012d, "scientific notation")]
    public void A_mac_typed_as_digits_into_a_workbook_becomes_a_number_and_is_no_mac_evidence(double number, string message)
    {
        // As the workbook reader hands a numeric MAC cell over: the number's digits, or Excel's General rendering.
        var text = ExcelCells.CellText(number, null, macColumn: true);

        Assert.Null(RegisterMacs.Read(text, out var warning, out var unread));
        Assert.True(unread);
        Assert.Contains(message, warning, StringComparison.Ordinal);
    }

    private static readonly Gen<(ulong Mac, int Notation, bool Upper)> Macs =
        Gen.Select(Gen.ULong[0, (1UL << 48) - 1], Gen.Int[0, 6], Gen.Bool);

    private static string Write(ulong mac, int notation, bool upper)
    {
        var hex = mac.ToString(upper ? "X12" : "x12", CultureInfo.InvariantCulture);
        string Groups(int size, string separator) => string.Join(separator, Enumerable.Range(0, 12 / size).Select(i => hex.Substring(i * size, size)));
        return notation switch
        {
            0 => Groups(2, ":"),
            1 => Groups(2, "-"),
            2 => Groups(4, "."),
            3 => hex,
            4 => Groups(2, " "),
            5 => Groups(4, "-"),
            _ => "MAC: " + Groups(2, ":"),
        };
    }

    [Fact]
    public void Every_notation_of_any_mac_reads_as_that_mac()
    {
        ForAll(Macs, 500, c =>
        {
            var text = Write(c.Mac, c.Notation, c.Upper);
            var read = RegisterMacs.Read(text, out var warning, out var unread);
            Assert.False(unread, text);
            Assert.Null(warning);
            Assert.True(MacAddress.TryParse(read, MacNotation.Register, out var address), text);
            Assert.Equal(c.Mac, address.Value);
        });
    }

    [Fact]
    public void A_mac_with_one_hex_digit_dropped_is_never_read_silently()
    {
        ForAll(Gen.Select(Macs, Gen.Int[0, 11]), 500, c =>
        {
            var ((mac, notation, upper), drop) = c;
            var hex = mac.ToString(upper ? "X12" : "x12", CultureInfo.InvariantCulture);
            // A digit dropped from the bare form, or the last digit cut from the colon form.
            var text = notation % 2 == 0 ? hex.Remove(drop, 1) : Write(mac, 0, upper)[..^1];
            var read = RegisterMacs.Read(text, out var warning, out var unread);
            Assert.True(read is null ? unread : warning is not null, $"{text} read silently as {read}");
        });
    }
}
