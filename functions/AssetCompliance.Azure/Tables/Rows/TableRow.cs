using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>
/// What several row kinds share: property names written by more than one codec, declared here once, and the system
/// column a key-only read selects.
/// </summary>
internal static class TableRow
{
    /// <summary>Property names shared by several row kinds (and tables).</summary>
    internal static class Names
    {
        /// <summary>Which kind of row this is (<c>asset</c>, <c>history</c>, <c>alert</c>, <c>summary</c>, <c>dispatch</c>), for someone browsing the table.</summary>
        public const string Kind = "Kind";

        /// <summary>The device a row belongs to: record, history, open-index and alert rows, and NetBox memory rows.</summary>
        public const string AssetId = "AssetId";

        /// <summary>A record's compliance status; the summary's counts by status are this name and the status.</summary>
        public const string Status = "Status";

        /// <summary>A record's or open item's severity; the summary's counts by severity are this name and the severity.</summary>
        public const string Severity = "Severity";

        /// <summary>The row key, as the service names it (a select of keys only).</summary>
        public const string RowKey = nameof(ITableEntity.RowKey);
    }

    /// <summary>
    /// <c> and (column eq v1 or column eq v2 …)</c> over the distinct values, each an escaped parameter of
    /// <see cref="TableClient.CreateQueryFilter(FormattableString)"/>; nothing when there are no values. The column
    /// name is one of the codecs' constants, never caller input.
    /// </summary>
    public static string AnyOf(string column, IEnumerable<string> values)
    {
        var comparisons = values.Distinct(StringComparer.Ordinal)
            .Select(value => Filter(column + " eq {0}", value))
            .ToArray();
        return comparisons.Length == 0 ? "" : " and (" + string.Join(" or ", comparisons) + ")";
    }

    /// <summary>
    /// A filter whose <paramref name="format"/> names columns (codec constants, as text) and whose arguments are
    /// values, each escaped by <see cref="TableClient.CreateQueryFilter(FormattableString)"/>: an interpolated column
    /// name would be quoted as a value.
    /// </summary>
    public static string Filter(string format, params object[] values) =>
        TableClient.CreateQueryFilter(System.Runtime.CompilerServices.FormattableStringFactory.Create(format, values));

    /// <summary>The filter for the rows of one partition whose keys lie in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static string KeyRange(string partition, string from, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");
}
