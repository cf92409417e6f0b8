using System.Net;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Registers;
using static AssetCompliance.Core.Tests.ObservationTestData;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// The hot paths that issue 18's 3 s target rewrote (the merge of the scans, register keys, the character check, the
/// not-seen outcome's observation, the parallel decisions) against the readings they replaced: a faster path must
/// give every answer the slower one gave. The references are the earlier code, kept here as the oracle (for the merge,
/// its rules read plainly); the random inputs come from fixed seeds and bounded counts.
/// </summary>
public sealed class HotPathEquivalenceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static MacAddress Mac(string text) => MacAddress.TryParse(text, out var mac) ? mac : throw new ArgumentException(text);

    // Device MACs and the placeholders tools write for "unknown" (all zeros, broadcast, multicast), which merge nothing.
    private static readonly MacAddress[] Macs =
    [
        Mac("BC:AD:28:00:00:01"), Mac("BC:AD:28:00:00:02"), Mac("AC:CC:8E:00:00:03"), Mac("AC:CC:8E:00:00:04"), Mac("00:11:22:33:44:55"),
        Mac("00:00:00:00:00:00"), Mac("FF:FF:FF:FF:FF:FF"), Mac("01:00:5E:00:00:01"),
    ];

    private static readonly IPAddress[] Ips = [.. new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "fd00::1", "fd00::2" }.Select(IPAddress.Parse)];

    private static IReadOnlyList<T> Some<T>(Random random, T[] pool, int most) =>
        [.. Enumerable.Range(0, random.Next(most + 1)).Select(_ => pool[random.Next(pool.Length)])];

    /// <summary>
    /// The merge's rules read plainly, as sets rather than a union-find: an observation joins every group holding one
    /// of its device MACs (placeholders name no device); then, address by address, the group of the first observation
    /// with that address, unless both groups hold MACs (two devices that had one address). Groups are listed in the
    /// order each device was first seen, members in scan order. (The code before issue 18's performance work asked the
    /// MAC question of one member only, so a sighting without a MAC could join two devices with different MACs.)
    /// </summary>
    private static List<List<int>> ReferenceGroups(IReadOnlyList<DeviceObservation> observations)
    {
        var macs = observations.Select(o => o.MacAddresses.Where(m => m.NamesDevice).Select(m => m.Value).ToHashSet()).ToArray();
        var groups = new List<HashSet<int>>();
        HashSet<int> GroupOf(int i) => groups.Single(g => g.Contains(i));
        bool HasMac(HashSet<int> group) => group.Any(i => macs[i].Count > 0);
        void Join(int a, int b)
        {
            var (ga, gb) = (GroupOf(a), GroupOf(b));
            if (ReferenceEquals(ga, gb)) return;
            ga.UnionWith(gb);
            groups.Remove(gb);
        }

        var firstWithIp = new Dictionary<IPAddress, int>();
        for (var i = 0; i < observations.Count; i++)
        {
            groups.Add([i]);
            for (var j = 0; j < i; j++)
            {
                if (macs[j].Overlaps(macs[i])) Join(i, j);
            }

            foreach (var ip in observations[i].IpAddresses)
            {
                if (!firstWithIp.TryAdd(ip, i) && !(HasMac(GroupOf(i)) && HasMac(GroupOf(firstWithIp[ip])))) Join(i, firstWithIp[ip]);
            }
        }

        return [.. groups.OrderBy(g => g.Min()).Select(g => g.Order().ToList())];
    }

    [Fact]
    public void The_merge_groups_and_orders_every_random_set_of_scans_as_its_rules_read_plainly()
    {
        // Each observation's source is its index, so a merged observation's sources name its group and the group's order.
        var random = new Random(1818);
        for (var round = 0; round < 3_000; round++)
        {
            var observations = Enumerable.Range(0, random.Next(0, 24)).Select(i => new DeviceObservation
            {
                Observer = random.Next(3) == 0 ? "defender" : "nmap",
                Source = $"s{i}",
                ObservedAt = random.Next(4) == 0 ? null : Now.AddDays(-random.Next(90)),
                IpAddresses = Some(random, Ips, 2),
                MacAddresses = Some(random, Macs, 2),
                Hostnames = Some(random, ["cam-1", "CAM-1", "nvr-2.ho.internal"], 1),
                SerialNumber = random.Next(5) == 0 ? $"SN{random.Next(3)}" : null,
            }).ToArray();

            var merged = ObservationMerger.Merge(observations);
            var groups = ReferenceGroups(observations);
            Assert.Equal(groups.Select(g => string.Join("; ", g.Select(i => $"s{i}"))), merged.Select(o => o.Source));
            for (var k = 0; k < groups.Count; k++)
            {
                var members = groups[k].Select(i => observations[i]).ToArray();
                if (members.Length == 1)
                {
                    // A device seen once is kept as it was read (only its placeholder MACs taken out).
                    Assert.Equal(members[0].MacAddresses.Where(m => m.NamesDevice), merged[k].MacAddresses);
                    Assert.True(members[0] with { MacAddresses = merged[k].MacAddresses } == merged[k]);
                    if (members[0].MacAddresses.All(m => m.NamesDevice)) Assert.Same(members[0], merged[k]);
                    continue;
                }

                Assert.Equal(members.SelectMany(o => o.MacAddresses).Where(m => m.NamesDevice).Distinct(), merged[k].MacAddresses);
                Assert.Equal(members.SelectMany(o => o.IpAddresses).Distinct(), merged[k].IpAddresses);
                Assert.Equal(members.Max(o => o.ObservedAt), merged[k].ObservedAt);
                Assert.Equal(members.SelectMany(o => o.Hostnames).Distinct(StringComparer.OrdinalIgnoreCase), merged[k].Hostnames);
            }
        }
    }

    [Fact]
    public void A_device_seen_by_three_scans_is_one_observation_in_first_seen_order_and_a_placeholder_only_mac_merges_by_ip()
    {
        DeviceObservation Seen(string source, string ip, params string[] macs) =>
            new() { Observer = "nmap", Source = source, IpAddresses = [IPAddress.Parse(ip)], MacAddresses = [.. macs.Select(Mac)] };
        var merged = ObservationMerger.Merge([
            Seen("a", "10.0.0.1", "BC:AD:28:00:00:01"),
            Seen("b", "10.0.0.9", "00:00:00:00:00:00"), // its only MAC names no device: it merges by its IP with d
            Seen("c", "10.0.0.2", "BC:AD:28:00:00:01"),
            Seen("d", "10.0.0.9"),
            Seen("e", "10.0.0.3", "bc:ad:28:00:00:01"),
        ]);
        Assert.Equal(["a; c; e", "b; d"], merged.Select(o => o.Source));
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], merged[0].IpAddresses.Select(i => i.ToString()));
        Assert.Empty(merged[1].MacAddresses);
    }

    /// <summary>RegisterValues.Key as it was before it was built in a span (d3c4bb8).</summary>
    private static string ReferenceKey(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return string.Join(' ', words);
    }

    private static string RandomText(Random random, int most)
    {
        // Any UTF-16 unit (lone and paired surrogates, controls, non-characters), half of them ASCII to make words.
        var chars = new char[random.Next(most + 1)];
        for (var i = 0; i < chars.Length; i++) chars[i] = random.Next(2) == 0 ? (char)random.Next(0x10000) : (char)random.Next(0x20, 0x7F);
        return new string(chars);
    }

    [Fact]
    public void A_key_is_what_the_earlier_key_was_for_every_utf16_unit_and_random_text_of_any_unit()
    {
        for (var i = 0; i < 0x10000; i++)
        {
            var text = $"Dome-{(char)i}Camera {(char)i}{(char)i}";
            Assert.True(ReferenceKey(text) == RegisterValues.Key(text), $"U+{i:X4}");
        }

        var random = new Random(1819);
        for (var n = 0; n < 5_000; n++)
        {
            var text = RandomText(random, n % 10 == 0 ? 400 : 40); // some over the 256 kept on the stack
            Assert.Equal(ReferenceKey(text), RegisterValues.Key(text));
        }

        Assert.Equal(ReferenceKey("\uD801\uDC00ABC\uD801\uDC00"), RegisterValues.Key("\uD801\uDC00ABC\uD801\uDC00")); // Deseret capitals are not char letters
    }

    [Fact]
    public void The_character_check_names_a_problem_exactly_when_a_character_by_character_reading_does_for_random_text()
    {
        var random = new Random(1820);
        for (var n = 0; n < 20_000; n++)
        {
            var text = RandomText(random, 30);
            foreach (var keep in new[] { false, true })
            {
                var expected = text.Contains('\uFFFD', StringComparison.Ordinal) || text.Any(c => CellCharacters.IsBadCharacter(c, keep));
                Assert.Equal(expected, CellCharacters.CharacterProblem(text, keep) is not null);
            }
        }
    }

    [Fact]
    public void Not_seen_shows_the_last_observation_in_scan_order_that_matched_the_entry()
    {
        // Two observations of HO-1 that do not merge (other MACs, other addresses) both match it by host name.
        DeviceObservation Seen(string source, string ip, string mac, int daysAgo) => new()
        {
            Observer = "nmap", Source = source, ObservedAt = Now.AddDays(-daysAgo), IpAddresses = [IPAddress.Parse(ip)], MacAddresses = [Mac(mac)], Hostnames = ["ho-1.ho.internal"],
        };
        var register = new[] { Entry("HO-1", "Axis Communications") };
        var outcomes = Reconciling.Value.Reconcile(register, [Seen("first", "10.0.0.1", "AC:CC:8E:00:00:01", 50), Seen("second", "10.0.0.2", "AC:CC:8E:00:00:02", 60)],
            new ReconcileOptions { NotSeenDays = 30, Now = Now });
        var notSeen = Assert.Single(outcomes);
        Assert.Equal(ReconcileOutcomeKind.NotSeen, notSeen.Outcome);
        Assert.Equal("second", notSeen.Observation!.Source); // the last to match, though not the latest in time
        Assert.Contains("Last seen 2026-10-12", notSeen.Explanation, StringComparison.Ordinal); // the latest in time
    }

    [Fact]
    public void Outcomes_decided_on_every_core_keep_the_scans_order_then_the_registers()
    {
        // Enough observations for Parallel.For to split them between threads; each is its own device.
        var register = Enumerable.Range(0, 600).Select(i => Entry($"HO-{i:D4}", i % 2 == 0 ? "Axis Communications" : "Hikvision", $"AC:CC:8E:01:{i / 256:X2}:{i % 256:X2}", line: i + 2)).ToArray();
        var observations = Enumerable.Range(0, 3_000).Select(i => new DeviceObservation
        {
            Observer = "nmap",
            Source = $"scan.xml:{i}",
            ObservedAt = Now,
            IpAddresses = [new IPAddress([10, 1, (byte)(i / 256), (byte)(i % 256)])],
            MacAddresses = [Mac(i % 5 == 0 ? $"AC:CC:8E:01:{i / 5 / 256:X2}:{i / 5 % 256:X2}" : $"BC:AD:28:02:{i / 256:X2}:{i % 256:X2}")],
        }).ToArray();
        var outcomes = Reconciling.Value.Reconcile(register, observations, new ReconcileOptions { Now = Now });

        // Unregistered in scan order, then the matched ones in scan order, as the sequential loop put them.
        var unregistered = outcomes.Where(o => o.Outcome == ReconcileOutcomeKind.Unregistered).Select(o => o.Observation!.Source).ToArray();
        Assert.Equal(observations.Where((_, i) => i % 5 != 0).Select(o => o.Source), unregistered);
        var matched = outcomes.Where(o => o.Outcome is ReconcileOutcomeKind.Confirmed or ReconcileOutcomeKind.Contradicted).ToArray();
        Assert.Equal(observations.Where((_, i) => i % 5 == 0).Select(o => o.Source), matched.Select(o => o.Observation!.Source));
        Assert.All(matched, o => Assert.Equal(o.Observation!.MacAddresses[0].ToString(), Mac(o.Registered!.MacAddress!).ToString()));
        Assert.Equal(outcomes.Count, observations.Length);
    }

    private static RegisterRow[] ReadRegister(string csv, string? department = null) =>
        [.. RegisterReader.Open(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "register.csv", new RegisterReadOptions { Department = department }).Rows];

    [Fact]
    public void The_header_map_returns_a_clean_row_as_read_and_still_takes_out_or_adds_each_warning_it_owns()
    {
        const string Full = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status\n";
        const string Clean = "HO-1,HO,Axis Communications,P3245-LVE,S1,AC:CC:8E:0A:1B:2C,camera,HO-2MS,2 Marsham Street,true,segregated,2023-01-01,in-service\n";
        var clean = Assert.Single(ReadRegister(Full + Clean));
        Assert.Empty(clean.Warnings);
        Assert.Empty(clean.Device!.UnreadFields);

        // --department that the row's department is not: the header map adds its warning to an otherwise clean row.
        var other = Assert.Single(ReadRegister(Full + Clean, department: "MOJ"));
        Assert.Equal("department", Assert.Single(other.Warnings).Column);
        Assert.Contains("the --department given", other.Warnings[0].Message, StringComparison.Ordinal);

        // No department column, --department given: the blank is filled, no warning. No site_sensitive column: its
        // sensitivity is unknown, and no per-row warning is added for it (the notes say it once).
        const string Short = "asset_id,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,network_segment,installed_on,status\n";
        var filled = Assert.Single(ReadRegister(Short + "HO-1,Axis Communications,P3245-LVE,S1,AC:CC:8E:0A:1B:2C,camera,HO-2MS,2 Marsham Street,segregated,2023-01-01,in-service\n", department: "HO"));
        Assert.Equal("HO", filled.Device!.Department);
        Assert.DoesNotContain(filled.Warnings, w => w.Column is "department" or "site_sensitive");
        Assert.Null(filled.Device.Site!.Sensitive); // unknown, never read as not sensitive
        var noDepartment = Assert.Single(ReadRegister(Short + "HO-1,Axis Communications,P3245-LVE,S1,AC:CC:8E:0A:1B:2C,camera,HO-2MS,2 Marsham Street,segregated,2023-01-01,in-service\n"));
        Assert.Equal("", noDepartment.Device!.Department); // the blank department's per-row warning taken out: the notes say it once
        Assert.DoesNotContain(noDepartment.Warnings, w => w.Column == "department");
        Assert.Equal(filled.Warnings.OrderBy(w => Array.IndexOf(RegisterReader.CsvHeader, w.Column)).ThenBy(w => filled.Warnings.ToList().IndexOf(w)), filled.Warnings);
    }
}
