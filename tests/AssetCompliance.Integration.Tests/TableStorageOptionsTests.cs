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
}
