using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>
/// A rejection's rows in <c>{prefix}Rejections</c>: the main row (keyed by <see cref="Rejection.Key"/>) with the
/// message's identity, errors and lengths, and the body in numbered properties <c>Body0</c>… across the main row and
/// continuation rows <c>{key}~001</c>… (see <see cref="RejectionBody"/>).
/// </summary>
internal static class RejectionRow
{
    internal static class Names
    {
        public const string MessageId = "MessageId";
        public const string EventId = "EventId";
        public const string ReceivedAt = "ReceivedAt";
        public const string Channel = "Channel";
        public const string Errors = "Errors";
        public const string BodyLength = "BodyLength";
        public const string BodyChunks = "BodyChunks";
        public const string BodyRows = "BodyRows";

        /// <summary>The prefix of a body chunk's property; the chunk's number follows.</summary>
        public const string BodyPrefix = "Body";
    }

    /// <summary>The main row, with no body chunks yet.</summary>
    public static TableEntity Main(string partition, Rejection rejection, int chunks, int rows) => new(partition, rejection.Key)
    {
        [Names.MessageId] = rejection.MessageId,
        [Names.EventId] = rejection.EventId,
        [Names.ReceivedAt] = rejection.ReceivedAt,
        [Names.Channel] = rejection.Channel,
        [Names.Errors] = JsonSerializer.Serialize(rejection.Errors, ComplianceJson.Options),
        [Names.BodyLength] = rejection.Body.Length,
        [Names.BodyChunks] = chunks,
        [Names.BodyRows] = Math.Max(rows, 1),
    };

    /// <summary>A long body's continuation row: '~' sorts after every hash character, so the rows follow their main row.</summary>
    public static string ContinuationKey(string key, int row) => $"{key}~{row:D3}";

    /// <summary>Whether a row is a main row (continuation keys hold '~').</summary>
    public static bool IsMain(TableEntity entity) => !entity.RowKey.Contains('~', StringComparison.Ordinal);

    public static string ChunkProperty(int index) => Names.BodyPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Adds the body chunks a row holds to <paramref name="chunks"/>, keyed by property name.</summary>
    public static void CollectChunks(TableEntity entity, Dictionary<string, string> chunks)
    {
        foreach (var (name, value) in entity)
        {
            if (name.StartsWith(Names.BodyPrefix, StringComparison.Ordinal) && int.TryParse(name.AsSpan(Names.BodyPrefix.Length), out _) && value is string text)
            {
                chunks[name] = text;
            }
        }
    }

    /// <summary>The rejection a main row and its collected chunks hold.</summary>
    public static Rejection Read(string? department, TableEntity main, IReadOnlyDictionary<string, string> chunks)
    {
        var body = new StringBuilder();
        for (var i = 0; i < (main.GetInt32(Names.BodyChunks) ?? 0); i++)
        {
            body.Append(chunks.GetValueOrDefault(ChunkProperty(i)));
        }

        return new Rejection
        {
            Department = department,
            MessageId = main.GetString(Names.MessageId),
            Key = main.RowKey,
            EventId = main.GetString(Names.EventId),
            ReceivedAt = main.GetDateTimeOffset(Names.ReceivedAt) ?? default,
            Channel = main.GetString(Names.Channel),
            Errors = JsonSerializer.Deserialize<List<ValidationError>>(main.GetString(Names.Errors), ComplianceJson.Options) ?? [],
            Body = body.ToString(),
            BodyLength = main.GetInt32(Names.BodyLength) ?? body.Length,
        };
    }
}
