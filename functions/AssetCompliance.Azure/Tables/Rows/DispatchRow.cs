using AssetCompliance.Core.Alerting;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>The department's <c>dispatch</c> row: when its alerts were last claimed for posting (<see cref="DispatchMark"/>).</summary>
internal static class DispatchRow
{
    internal static class Names
    {
        public const string LastClaimedAt = "LastClaimedAt";
    }

    private const string KindValue = "dispatch";

    /// <summary>The one column a mark read needs.</summary>
    public static readonly string[] ReadColumns = [Names.LastClaimedAt];

    public static TableEntity Entity(string department, DateTimeOffset? lastClaimedAt) =>
        new(department, StateKeys.Dispatch) { [TableRow.Names.Kind] = KindValue, [Names.LastClaimedAt] = lastClaimedAt };

    public static DispatchMark Read(TableEntity entity) => new(entity.GetDateTimeOffset(Names.LastClaimedAt), entity.ETag.ToString());
}
