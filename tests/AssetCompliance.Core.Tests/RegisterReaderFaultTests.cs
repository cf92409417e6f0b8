using System.Text;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// The reviewer's second round on the register reader (issue 13): stray quotes under padded headers, bytes that are
/// not UTF-8, control characters, text after closing quotes, non-ASCII digits, over-long records and cells, and
/// rows push would refuse. Each sample is kept as the reviewer wrote it, with cases of the same kind beside it.
/// </summary>
public sealed class RegisterReaderFaultTests
{
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    private static string Row(string id, string manufacturer = "Axis", string model = "P3245-LVE", string sensitive = "false", string installed = "2023-04-01", string department = "DFE") =>
        $"{id},{department},{manufacturer},{model},S1,,camera,S-1,Site,{sensitive},segregated,{installed},in-service";

    private static string Hik(string id, string model = "DS-2CD2143G2-I") => Row(id, "Hikvision", model, "true");

    private static RegisterRow[] Csv(params string[] lines) => RegisterReader.ReadCsv(string.Join("\n", lines) + "\n").ToArray();

    private static RegisterRow[] File(byte[] bytes, string name = "register.csv") => RegisterReader.Read(new MemoryStream(bytes), name).ToArray();

    private static string CheckText(CellWarning w) => $"{w.Column} '{w.Value}' {w.Message}";

    /// <summary>The verdict check gives the row, through the function check uses.</summary>
    private static ComplianceStatus Verdict(RegisterRow row) => RegisterEvaluation.Evaluate(Identifier, Evaluator, row).Evaluation.Status;

    // 1. A stray quote never swallows a row silently, whatever the header's padding.

    public static TheoryData<string, string, string> SwallowSamples => new()
    {
        // /tmp/break2/swallow_pad.csv: blank names pad the header; the model's quote closes in the next row's model.
        { Header + ",,,,,", "AX2,DFE,Axis,\"P3245-LVE,S1,,camera,S-1,Site,false,segregated,2023-04-01,in-service", Hik("HIK-1", "DS-2CD2143G2-I 4\"") },
        // mid_notes_pad.csv: an ignored notes column and blank names; the note's quote closes at the next row's end.
        { Header + ",notes,,,,,", Row("AX2") + ",\"see ticket", Hik("HIK-1") + ",4\"" },
        // nopad_shift.csv: no padding; the quote closes one column early in the next row, which ends with an empty field.
        { Header + ",notes", Row("AX2") + ",\"see ticket", Hik("HIK-1") + "\"," },
        // Of the same kind: the quote closes in the site name two rows on, and the header has an extra named column in the middle.
        { "asset_id,department,owner,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status,,",
            "AX2,DFE,\"Facilities,Axis,P3245-LVE,S1,,camera,S-1,Site,false,segregated,2023-04-01,in-service", "HIK-1,DFE,Estates,Hikvision,DS-2CD2143G2-I,S1,,camera,S-1,Site\",true,segregated,2023-04-01,in-service" },
    };

    [Theory]
    [MemberData(nameof(SwallowSamples))]
    public void A_quote_that_swallows_the_next_row_costs_its_own_row_and_the_swallowed_row_is_read(string header, string bad, string swallowed)
    {
        var extra = header.Split(',').Length - Header.Split(',').Length;
        var pad = extra > 0 && header.Contains("notes", StringComparison.Ordinal) ? ",ok" : "";
        var first = header.Contains("owner", StringComparison.Ordinal) ? "AX1,DFE,Estates,Axis,P3245-LVE,S1,,camera,S-1,Site,false,segregated,2023-04-01,in-service" : Row("AX1") + pad;
        var last = header.Contains("owner", StringComparison.Ordinal) ? "AX3,DFE,Estates,Axis,P3245-LVE,S1,,camera,S-1,Site,false,segregated,2023-04-01,in-service" : Row("AX3") + pad;

        var rows = Csv(header, first, bad, swallowed, last);

        var error = Assert.Single(rows, r => r.Device is null);
        Assert.Equal(3, error.Line);
        Assert.Contains("reads as a row of the register", string.Join("; ", error.Errors));
        Assert.Equal(["AX1", "HIK-1", "AX3"], rows.Where(r => r.Device is not null).Select(r => r.Device!.AssetId));
        Assert.Equal([2, 4, 5], rows.Where(r => r.Device is not null).Select(r => r.Line));
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(rows.Single(r => r.Device?.AssetId == "HIK-1")));
    }

    [Fact]
    public void Real_notes_with_line_breaks_still_read_as_one_cell()
    {
        var rows = Csv(Header + ",notes,,,", Row("AX1") + ",\"first line\nsecond, with a comma\nthird\"", Row("AX2", manufacturer: "\"Axis\nCommunications\"") + ",", Hik("HIK-1") + ",");

        Assert.All(rows, r => Assert.Empty(r.Errors));
        Assert.All(rows, r => Assert.Empty(r.Warnings.Select(CheckText)));
        Assert.Equal([2, 5, 7], rows.Select(r => r.Line));
        Assert.Equal("Axis\nCommunications", rows[1].Device!.Manufacturer);
    }

    [Fact]
    public void A_value_after_the_headers_last_name_is_a_shifted_row_not_an_ignored_cell()
    {
        // Two quotes dropped from "Axis, Communications" shift every cell after it one column right, into the padding.
        var rows = Csv(Header + ",notes,,,", Row("AX1") + ",ok", "AX2,DFE,Axis, Communications,P3245-LVE,S1,,camera,S-1,Site,false,segregated,2023-04-01,in-service,ok");

        Assert.Equal("AX1", rows[0].Device!.AssetId);
        Assert.Null(rows[1].Device);
        Assert.Contains("column 15 (no name), after the header's last named column", string.Join("; ", rows[1].Errors));
    }

    [Fact]
    public void Dropping_and_inserting_quotes_anywhere_never_loses_a_row_silently_nor_changes_one_without_a_warning()
    {
        // A register with a padded header, an ignored notes column, quoted cells with commas and escaped quotes, and
        // real multi-line notes. Each trial drops or inserts one or two quotes at random places (fixed seed): every
        // line that starts a row is still accounted for at its line (read, or not read with its reason: a changed row
        // may be lost, but never silently, and never takes another with it), and a row read without a warning has
        // exactly the cells it was written with.
        var header = Header + ",notes,,,";
        var random = new Random(131313);
        var makers = new[] { "Axis", "\"Axis, Communications\"", "Hikvision", "\"HIKVISION DIGITAL TECHNOLOGY CO.,LTD\"", "Bosch" };
        var models = new[] { "P3245-LVE", "\"DS-2CD2143G2-I 4\"\" dome\"", "DS-2CD2143G2-I", "NDE-3502-AL" };
        var notes = new[] { "", "ok", "\"see ticket, 42\"", "\"line one\nline two\"" };
        var original = new List<(int Line, string Text, string[] Cells)>();
        var lines = new List<string> { header };
        for (var i = 0; i < 40; i++)
        {
            var (maker, model, note) = (makers[random.Next(makers.Length)], models[random.Next(models.Length)], notes[random.Next(notes.Length)]);
            var text = $"R{i},DFE,{maker},{model},S{i},,camera,S-{i % 3},Site {i},{(i % 2 == 0 ? "true" : "false")},segregated,2023-04-01,in-service,{note}";
            original.Add((lines.Count + 1 + lines.Skip(1).Sum(l => l.Count(c => c == '\n')), text, [$"R{i}", Unquote(maker), Unquote(model), $"S{i}", $"Site {i}"]));
            lines.Add(text);
        }

        var register = string.Join("\n", lines) + "\n";
        for (var trial = 0; trial < 600; trial++)
        {
            var mutated = new StringBuilder(register);
            var changes = new List<string>();
            for (var k = 0; k < 1 + random.Next(2); k++)
            {
                var text = mutated.ToString();
                var quotes = Enumerable.Range(header.Length, text.Length - header.Length).Where(i => text[i] == '"').ToArray();
                // Field boundaries, where a quote opens or closes a field: the positions a swallowing quote needs.
                var starts = Enumerable.Range(header.Length + 1, text.Length - header.Length - 1).Where(i => text[i - 1] is ',' or '\n').ToArray();
                var ends = Enumerable.Range(header.Length + 1, text.Length - header.Length - 1).Where(i => text[i] is ',' or '\n').ToArray();
                switch (random.Next(5))
                {
                    case 0 when quotes.Length > 0:
                        var dropped = quotes[random.Next(quotes.Length)];
                        mutated.Remove(dropped, 1);
                        changes.Add($"-{dropped}");
                        break;
                    case 1:
                        var start = starts[random.Next(starts.Length)];
                        mutated.Insert(start, '"');
                        changes.Add($"+{start}");
                        break;
                    case 2:
                        var end = ends[random.Next(ends.Length)];
                        mutated.Insert(end, '"');
                        changes.Add($"+{end}");
                        break;
                    case 3:
                        // A quote opened at the start of a cell and closed at the end of the same (or the previous)
                        // column one or two rows on: the record keeps a row's number of fields.
                        var row = random.Next(1, original.Count - 2);
                        var column = random.Next(1, 13);
                        var open = ColumnStart(text, original[row].Line, column);
                        var close = ColumnStart(text, original[row + 1 + random.Next(2)].Line, column - random.Next(2) + 1) - 1;
                        mutated.Insert(close, '"').Insert(open, '"');
                        changes.Add($"+{open}+{close}");
                        break;
                    default:
                        var at = random.Next(header.Length + 1, text.Length);
                        mutated.Insert(at, '"');
                        changes.Add($"+{at}");
                        break;
                }
            }

            var result = mutated.ToString();
            var rows = RegisterReader.ReadCsv(result).ToArray();
            var what = $"trial {trial}: {string.Join(", ", changes)}";
            var byLine = rows.GroupBy(r => r.Line).ToDictionary(g => g.Key, g => g.First());
            foreach (var (line, _, cells) in original)
            {
                // Every row is accounted for at its own line: read, or not read with its reason; never swallowed.
                Assert.True(byLine.TryGetValue(line, out var row), $"{what}: line {line} is not accounted for");
                if (row.Device is { } device && row.Warnings.Count == 0)
                {
                    Assert.True(cells.SequenceEqual([device.AssetId, device.Manufacturer ?? "", device.Model ?? "", device.SerialNumber ?? "", device.Site?.Name ?? ""]),
                        $"{what}: line {line} read without a warning as {device.AssetId}/{device.Manufacturer}/{device.Model}/{device.SerialNumber}/{device.Site?.Name}, written as {string.Join("/", cells)}");
                }
            }

            // A row read without a warning is one of the register's rows, as written: never cells from a row a quote swallowed.
            foreach (var row in rows.Where(r => r.Device is not null && r.Warnings.Count == 0))
            {
                var written = original.FirstOrDefault(o => o.Cells[0] == row.Device!.AssetId);
                Assert.True(written.Cells is not null, $"{what}: line {row.Line} read as '{row.Device!.AssetId}', which no row has");
                Assert.True(written.Cells.SequenceEqual([row.Device!.AssetId, row.Device.Manufacturer ?? "", row.Device.Model ?? "", row.Device.SerialNumber ?? "", row.Device.Site?.Name ?? ""]),
                    $"{what}: line {row.Line} ({row.Device.AssetId}) read without a warning with cells other than written");
            }
        }

        // Where a column's cell starts on a physical line (1-based), counting commas as a naive reader would.
        static int ColumnStart(string text, int line, int column)
        {
            var at = 0;
            for (var l = 1; l < line; l++)
            {
                at = text.IndexOf('\n', at) + 1;
            }

            for (var c = 0; c < column; c++)
            {
                at = text.IndexOf(',', at) + 1;
            }

            return at;
        }

        static string Unquote(string cell) => cell.StartsWith('"') ? cell[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : cell;
    }

    // 2 and 9. Characters the register did not mean: U+FFFD, control characters, U+FEFF, U+FFFE/FFFF.

    [Fact]
    public void Windows_1252_bytes_in_ids_are_detected_and_read_as_the_characters_they_are()
    {
        // /tmp/break2/cpid.csv: asset ids CAM-é and CAM-è saved as Windows-1252 (E9, E8). Read as UTF-8 both were
        // CAM-U+FFFD; the file is now detected as Windows-1252 and read as written.
        var bytes = Encoding.UTF8.GetBytes($"{Header}\n{Row("CAM-@", department: "DFE").Replace("S-1", "S-@", StringComparison.Ordinal)}\n{Row("CAM-#")}\n")
            .Select(b => b == (byte)'@' ? (byte)0xE9 : b == (byte)'#' ? (byte)0xE8 : b).ToArray();

        var rows = File(bytes);

        Assert.Equal(["CAM-\u00E9", "CAM-\u00E8"], rows.Select(r => r.Device!.AssetId));
        Assert.DoesNotContain(rows.SelectMany(r => r.Warnings), w => w.Message.Contains("U+FFFD", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("model", "DS-2CD2143G2-I \uFFFD", true)]
    [InlineData("serial_number", "S\uFFFD1", true)]
    [InlineData("device_type", "camera\uFFFD", true)]
    [InlineData("installed_on", "2023-04-01\uFFFD", true)]
    [InlineData("status", "in-service\uFFFD", true)]
    [InlineData("notes", "caf\uFFFD", false)]
    public void U_fffd_in_any_cell_is_a_warning_on_that_cell(string column, string value, bool unread)
    {
        var cells = (Hik("HIK-1") + ",ok").Split(',');
        cells[Array.IndexOf((Header + ",notes").Split(','), column)] = value;

        var row = Assert.Single(Csv(Header + ",notes", string.Join(",", cells)));

        var warning = Assert.Single(row.Warnings, w => w.Message.Contains("U+FFFD", StringComparison.Ordinal));
        Assert.Equal((column, unread), (warning.Column, warning.Unread));
    }

    [Fact]
    public void A_nul_after_the_first_8_kib_is_removed_from_text_with_a_warning_and_in_an_id_is_a_key_push_refuses()
    {
        var filler = Enumerable.Range(0, 200).Select(i => Row($"AX{i}"));
        var rows = Csv([Header, .. filler, Hik("HIK-1").Replace("Hikvision", "Hik\0vision", StringComparison.Ordinal), Hik("A\u00002"), Hik("A\u00013")]);

        var hik = rows[^3];
        Assert.Equal("Hikvision", hik.Device!.Manufacturer);
        var warning = Assert.Single(hik.Warnings);
        Assert.Equal(("manufacturer", true), (warning.Column, warning.Unread));
        Assert.Contains("control character U+0000, which is removed: read as 'Hikvision'", warning.Message);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(hik));
        Assert.Contains("control character U+0000", rows[^2].Warnings.Single(w => w.Column == "asset_id").Message);
        Assert.Contains("control character U+0001", rows[^1].Warnings.Single(w => w.Column == "asset_id").Message);
    }

    [Fact]
    public void A_byte_order_mark_in_the_middle_of_a_file_is_a_warning_and_push_refuses_the_key()
    {
        // /tmp/break2/bommid.csv: a second export appended, its BOM now at the start of an asset id.
        var rows = File(Encoding.UTF8.GetBytes($"\uFEFF{Header}\n{Hik("A1")}\n\uFEFF{Hik("A2")}\n{Row("A3", model: "P3245\uFEFF-LVE")}\n{Row("A4", manufacturer: "Axis\uFFFF")}\n"));

        Assert.Equal(["A1", "\uFEFFA2", "A3", "A4"], rows.Select(r => r.Device!.AssetId));
        Assert.Empty(rows[0].Warnings);
        Assert.Contains("U+FEFF, a byte-order mark", rows[1].Warnings.Single(w => w.Column == "asset_id").Message);
        Assert.Equal("P3245-LVE", rows[2].Device!.Model);
        Assert.Contains("U+FEFF", Assert.Single(rows[2].Warnings).Message);
        Assert.Equal("Axis", rows[3].Device!.Manufacturer);
        Assert.Contains("U+FFFF, which is not a character", Assert.Single(rows[3].Warnings).Message);
        Assert.NotNull(CellCharacters.IdentifierProblem("\uFEFFA2", Identifiers.AssetIdError("\uFEFFA2")));
        Assert.NotNull(CellCharacters.IdentifierProblem("A\uFFFE", Identifiers.AssetIdError("A\uFFFE")));
    }

    // 3. Text after a closing quote: every field, named, ignored columns too.

    [Fact]
    public void Text_after_a_closing_quote_is_a_warning_on_every_such_field_and_unread_where_it_feeds_the_verdict()
    {
        var rows = Csv(Header + ",notes",
            "HIKS2,DFE,Axis,P3245-LVE,S1,,camera,S-1,Site,\"false\" (was true),segregated,2023-04-01,in-service,x",
            "Q,DFE,\"Hikvision\" Digital,\"DS-2CD\" 2143,S1,,camera,\"S-1\" B,Site,true,segregated,2023-04-01,in-service,\"see\" ticket");

        Assert.Contains(rows[0].Warnings, w => w is { Column: "site_sensitive", Unread: true } && w.Message.Contains("closing quote", StringComparison.Ordinal));
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(rows[0]));
        var quoted = rows[1].Warnings.Where(w => w.Message.Contains("closing quote", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["manufacturer", "model", "site_id", "notes"], quoted.Select(w => w.Column));
        Assert.Equal([true, true, false, false], quoted.Select(w => w.Unread));
        Assert.Contains("a column check ignores", quoted[^1].Message);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_cell_is_read_as_typed_with_a_warning()
    {
        var row = Assert.Single(Csv(Header, Hik("HIK-1", "DS-2CD2143G2-I 4\" dome")));

        Assert.Equal("DS-2CD2143G2-I 4\" dome", row.Device!.Model);
        var warning = Assert.Single(row.Warnings);
        Assert.Equal(("model", false), (warning.Column, warning.Unread));
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row));
    }

    // 4. Digits that are not ASCII never stop a read.

    [Theory]
    [InlineData("２４/１１/２０２２")]
    [InlineData("٢٤/١١/٢٠٢٢")]
    [InlineData("２０２２/１１/２４")]
    [InlineData("４４８８９")]
    [InlineData("２０２２-１１-２４")]
    [InlineData("२४/११/२०२२")]
    public void A_date_in_non_ascii_digits_is_an_unread_cell_and_the_rows_after_it_are_read(string date)
    {
        var rows = Csv(Header, Row("AX0"), Hik("BAD").Replace("2023-04-01", date, StringComparison.Ordinal), Hik("HIK-AFTER"));

        Assert.Equal(["AX0", "BAD", "HIK-AFTER"], rows.Select(r => r.Device!.AssetId));
        var warning = Assert.Single(rows[1].Warnings);
        Assert.Equal(("installed_on", true), (warning.Column, warning.Unread));
        Assert.Contains("not ASCII", warning.Message);
        Assert.Null(rows[1].Device!.InstalledOn);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(rows[2]));
    }

    // 6. Text over the contract's bound.

    [Fact]
    public void A_manufacturer_over_256_characters_is_an_unread_warning_and_not_read()
    {
        var rows = Csv(Header, Row("AX1", manufacturer: "Axis " + new string('x', 300_000)), Hik("HK1").Replace("Hikvision", "Hikvision " + new string('y', 80_000), StringComparison.Ordinal));

        Assert.All(rows, r => Assert.Equal(("manufacturer", true), (Assert.Single(r.Warnings).Column, r.Warnings[0].Unread)));
        Assert.Contains("over the 256 the event contract holds", rows[0].Warnings[0].Message);
        Assert.Equal(300_005, rows[0].Device!.Manufacturer!.Length); // kept whole in the row, never cut
        Assert.Contains("not read; push sends it as unread", rows[0].Warnings[0].Message);
        Assert.Null(RegisterEvaluation.Device(rows[0]).Manufacturer); // as check evaluates it and push sends it: unread
        Assert.Equal(["manufacturer"], RegisterEvaluation.Device(rows[0]).UnreadFields);
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(rows[0]));
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(rows[1]));
    }

    // 10. Over-long records and headers.

    [Fact]
    public void An_over_long_quoted_cell_is_skipped_whole_and_csv_looking_lines_inside_it_are_not_devices()
    {
        var inner = string.Join("\n", Enumerable.Range(0, 20_000).Select(i => Hik($"FAKE{i}") + ","));
        var rows = Csv(Header + ",notes", Hik("HK1") + ",", Hik("HK2") + ",\"" + inner + "\"", Hik("HK3") + ",");

        Assert.Equal(["HK1", null, "HK3"], rows.Select(r => r.Device?.AssetId));
        Assert.Equal([2, 3, 20_003], rows.Select(r => r.Line));
        Assert.Contains("lines 3 to 20002 are not read", string.Join("; ", rows[1].Errors));
    }

    [Fact]
    public void A_header_over_the_record_limit_is_a_file_not_read()
    {
        var row = Assert.Single(Csv(Header + "," + new string('y', RegisterReader.MaxRecordBytes + 10), Hik("HK1"), Hik("HK2")));

        Assert.Null(row.Device);
        Assert.Contains("the header is longer than", string.Join("; ", row.Errors));
    }

    [Fact]
    public void A_quoted_record_whose_end_is_not_found_within_the_bound_stops_the_read_and_one_that_never_closes_is_a_stray_quote()
    {
        var text = Encoding.UTF8.GetBytes("a,\"b\nc,d\ne,f\n" + new string('x', 1000));
        Assert.Equal(QuotedRecordScan.End.TooFar, QuotedRecordScan.Run(new MemoryStream(text), 100).Outcome);
        Assert.Equal(QuotedRecordScan.End.NeverCloses, QuotedRecordScan.Run(new MemoryStream(text), 10_000).Outcome);
        Assert.Equal((QuotedRecordScan.End.Closed, 12L, 2), QuotedRecordScan.Run(new MemoryStream(Encoding.UTF8.GetBytes("a,\"b\r\nc\nd\"\r\nnext\n")), 100) is var s ? (s.Outcome, s.Bytes, s.Breaks) : default);
        Assert.Equal(QuotedRecordScan.End.OneLine, QuotedRecordScan.Run(new MemoryStream(Encoding.UTF8.GetBytes("a,\"b,\"\"c\"\"\",d\ne\n")), 100).Outcome);
    }

    // 11. Rows push refuses are warnings in check.

    [Fact]
    public void A_duplicate_asset_and_a_department_written_in_another_case_are_warnings_naming_the_line()
    {
        var rows = Csv(Header, Hik("HIK-1"), Row("AX-1", department: "dfe"), Hik("HIK-1"), Hik("HIK-1"), Row("HO-1", department: "HO"), Row("HO-2", department: "HO"));

        Assert.Equal(6, rows.Length); // every row is reported, duplicates too
        Assert.Contains("is 'DFE' on line 2 but for the case", rows[1].Warnings.Single().Message);
        Assert.All(rows[2..4], r => Assert.Contains("also the asset on line 2", r.Warnings.Single().Message));
        Assert.All(rows[4..], r => Assert.Empty(r.Warnings)); // a register of several departments is not a fault
    }

    // 13. Content decides what a file is.

    [Theory]
    [InlineData("register.xls")]
    [InlineData("register.xlsx")]
    public void Csv_text_named_as_a_workbook_is_read_as_csv(string name)
    {
        var rows = File(Encoding.UTF8.GetBytes($"{Header}\n{Hik("HIK-1")}\n"), name);

        Assert.Equal("HIK-1", Assert.Single(rows).Device!.AssetId);
    }

    [Theory]
    [InlineData("utf-16le", "little-endian")]
    [InlineData("utf-16be", "big-endian")]
    public void Utf16_without_a_byte_order_mark_is_named_as_utf16(string encoding, string order)
    {
        var bytes = Encoding.GetEncoding(encoding == "utf-16le" ? "utf-16" : "unicodeFFFE").GetBytes($"{Header}\n{Hik("HIK-1")}\n");

        var row = Assert.Single(File(bytes));

        Assert.Contains($"UTF-16 text ({order}) without a byte-order mark", string.Join("; ", row.Errors));
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public void Utf16_without_a_byte_order_mark_is_read_when_the_encoding_is_given(string encoding)
    {
        var bytes = Encoding.GetEncoding(encoding == "utf-16le" ? "utf-16" : "unicodeFFFE").GetBytes($"{Header}\n{Hik("HIK-1")}\n");

        var source = RegisterReader.Open(new MemoryStream(bytes), "register.csv", new RegisterReadOptions { Encoding = encoding });

        Assert.Equal("HIK-1", Assert.Single(source.Rows).Device!.AssetId);
        Assert.EndsWith("(--encoding)", source.ReadAs);
    }

    // 12. A row without any site: push refuses it (the contract requires a site in service), so check warns.

    [Theory]
    [InlineData("AX1,DFE,Axis,P3245-LVE,S1,,camera,,,,segregated,2023-04-01,in-service")]
    [InlineData("AX1,DFE,Axis,P3245-LVE,S1,,camera, , ,,segregated,2023-04-01,")]
    [InlineData("HK1,DFE,Hikvision,DS-2CD2143G2-I,S1,,camera,,,,,,in-service")]
    public void A_row_in_service_without_any_site_is_a_warning_in_check_and_refused_by_push_in_register_terms(string line)
    {
        var row = Assert.Single(Csv(Header, line));

        var warning = Assert.Single(row.Warnings, w => w.Column == "site_id");
        Assert.Contains("push refuses the row", warning.Message);
        var push = RegisterEvents.From([row], "DFE", 1, DateTimeOffset.UnixEpoch);
        Assert.Empty(push.Events);
        var reason = Assert.Single(push.Errors).Reason;
        Assert.Contains("site_id is blank", reason);
        Assert.DoesNotContain("$.data", reason);
    }

    [Fact]
    public void A_removed_row_without_a_site_is_sent_and_not_warned()
    {
        var row = Assert.Single(Csv(Header, "AX1,DFE,Axis,P3245-LVE,S1,,camera,,,,segregated,2023-04-01,removed"));

        Assert.Empty(row.Warnings);
        Assert.Single(RegisterEvents.From([row], "DFE", 1, DateTimeOffset.UnixEpoch).Events);
    }

    // 13. The content decides the shape, not the name.

    [Theory]
    [InlineData("register.jsonl")]
    [InlineData("register.ndjson")]
    [InlineData("register.json")]
    public void Csv_content_under_a_json_name_is_read_as_csv(string name)
    {
        var row = Assert.Single(File(Encoding.UTF8.GetBytes(Header + "\n" + Hik("HK1") + "\n"), name));

        Assert.Equal("HK1", row.Device!.AssetId);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row));
    }
}
