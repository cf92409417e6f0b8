using System.ComponentModel.DataAnnotations;
using AssetCompliance.Azure.Tables;

namespace AssetCompliance.Integration.Tests;

/// <summary>The README's promise: a connection string with a real account key is refused at start-up.</summary>
public sealed class TableStorageOptionsTests
{
    private static IReadOnlyList<ValidationResult> Validate(TableStorageOptions options) =>
        options.Validate(new ValidationContext(options)).ToArray();

    [Theory]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=abc;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;")]
    public void Emulator_connection_strings_are_accepted(string connectionString) =>
        Assert.Empty(Validate(new TableStorageOptions { ConnectionString = connectionString }));

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=prodaccount;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=x;TableEndpoint=https://prod.table.core.windows.net/")]
    public void Real_account_connection_strings_are_refused(string connectionString) =>
        Assert.Contains(Validate(new TableStorageOptions { ConnectionString = connectionString }), r => r.ErrorMessage!.Contains("emulator", StringComparison.Ordinal));

    [Fact]
    public void Exactly_one_of_uri_and_connection_string_is_required()
    {
        Assert.NotEmpty(Validate(new TableStorageOptions()));
        Assert.NotEmpty(Validate(new TableStorageOptions { TableServiceUri = new Uri("https://a.table.core.windows.net"), ConnectionString = "UseDevelopmentStorage=true" }));
        Assert.Empty(Validate(new TableStorageOptions { TableServiceUri = new Uri("https://a.table.core.windows.net") }));
        Assert.NotEmpty(Validate(new TableStorageOptions { TableServiceUri = new Uri("http://a.table.core.windows.net") }));
    }
    /// <summary>
    /// A table service URI with a SAS token (<c>?sv=…&amp;sig=…</c>) carries a credential: it is refused at start-up
    /// (the app signs in with its identity), and neither the refusal nor the options' string form shows the token.
    /// </summary>
    [Fact]
    public void A_service_uri_carrying_a_sas_token_is_refused_and_never_printed()
    {
        var options = new TableStorageOptions { TableServiceUri = new Uri("https://a.table.core.windows.net/?sv=2024-11-04&ss=t&sig=SAS-SECRET%3D") };

        var refusal = Assert.Single(Validate(options));

        Assert.Contains("TableServiceUri", refusal.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("SAS-SECRET", refusal.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("SAS-SECRET", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("https://a.table.core.windows.net/", options.ToString(), StringComparison.Ordinal);
    }
}
