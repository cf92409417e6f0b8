using System.Text.Json;
using System.Text.RegularExpressions;

namespace AssetCompliance.Infra.Tests;

/// <summary>
/// The Bicep in infra/ compiled by the real Bicep CLI, with the linter rules in bicepconfig.json, and the security
/// properties a reviewer would check asserted on the compiled ARM template.
/// </summary>
public sealed class InfrastructureTests
{
    private static readonly Dictionary<string, string> ExpectedRoles = new()
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"] = "Azure Service Bus Data Receiver",
        ["69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"] = "Azure Service Bus Data Sender",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    public static TheoryData<string> BicepFiles => new(Directory.GetFiles(BicepCli.InfraDirectory, "*.bicep", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(BicepCli.InfraDirectory, f)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Every_Bicep_file_compiles_with_no_error_and_no_linter_warning(string file)
    {
        var result = await BicepCli.RunAsync("build", file, "--stdout");

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.True(result.Errors.Trim().Length == 0, $"diagnostics for {file}:\n{result.Errors}");
    }

    [Fact]
    public async Task The_parameter_file_compiles_against_main()
    {
        var result = await BicepCli.RunAsync("build-params", "main.bicepparam", "--stdout");

        Assert.True(result.ExitCode == 0 && result.Errors.Trim().Length == 0, result.Errors);
    }

    [Fact]
    public async Task No_app_setting_holds_a_key_a_SAS_or_a_secret_connection_string_and_no_key_is_ever_listed()
    {
        var template = await BicepCli.CompiledMainAsync();
        var settings = Single(template, "Microsoft.Web/sites/config", "appsettings").Properties.GetRawText();

        Assert.DoesNotMatch(new Regex("AccountKey|SharedAccessKey|SharedAccessSignature|sig=|listKeys|listConnectionStrings|listSecrets", RegexOptions.IgnoreCase), template.GetRawText());
        // Bicep compiles the settings object to a createObject('Name', value, ...) expression: names are quoted literals.
        var names = Regex.Matches(settings, @"(?<!(parameters|variables)\()'([A-Za-z][A-Za-z0-9_]*)'").Select(m => m.Groups[2].Value).ToArray();
        // Application Insights' connection string names the resource; with local auth disabled it cannot ingest alone.
        Assert.DoesNotContain(names, n => n.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && n != "APPLICATIONINSIGHTS_CONNECTION_STRING");
        Assert.Contains("ServiceBus__fullyQualifiedNamespace", names);
        Assert.Contains("ServiceBus__credential", names);
        Assert.Contains("ServiceBus__clientId", names);
        Assert.Contains("AzureWebJobsStorage__credential", names);
        Assert.Contains("ComplianceStorage__TableServiceUri", names);
        Assert.DoesNotContain("AzureWebJobsStorage", names); // only the identity-based __ forms
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", settings); // the Teams webhook, when enabled, is a Key Vault reference
    }

    [Fact]
    public async Task Service_Bus_and_storage_refuse_keys_and_the_queue_matches_the_processing_design()
    {
        var template = await BicepCli.CompiledMainAsync();

        var ns = Single(template, "Microsoft.ServiceBus/namespaces").Properties;
        Assert.True(ns.GetProperty("disableLocalAuth").GetBoolean());
        var queue = Single(template, "Microsoft.ServiceBus/namespaces/queues").Properties;
        Assert.False(queue.GetProperty("requiresSession").GetBoolean()); // ETag concurrency, not sessions (docs/state-design.md)
        // Event ids are unique per department only: the shared queue must not drop one department's event as another's.
        Assert.False(queue.GetProperty("requiresDuplicateDetection").GetBoolean());
        Assert.True(Single(template, "Microsoft.ServiceBus/namespaces/topics").Properties.GetProperty("requiresDuplicateDetection").GetBoolean()); // each department's resends
        Assert.True(queue.GetProperty("deadLetteringOnMessageExpiration").GetBoolean());
        Assert.InRange(queue.GetProperty("maxDeliveryCount").GetInt32(), 3, 20);
        Assert.True(System.Xml.XmlConvert.ToTimeSpan(queue.GetProperty("lockDuration").GetString()!) >= TimeSpan.FromMinutes(1));

        var storage = Single(template, "Microsoft.Storage/storageAccounts").Properties;
        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());

        Assert.True(Single(template, "Microsoft.KeyVault/vaults").Properties.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(Single(template, "Microsoft.Insights/components").Properties.GetProperty("DisableLocalAuth").GetBoolean());
    }

    [Fact]
    public async Task Every_role_assignment_is_an_expected_least_privilege_role_with_a_deterministic_name()
    {
        var template = await BicepCli.CompiledMainAsync();
        var assignments = ArmResource.All(template).Where(r => r.Type == "Microsoft.Authorization/roleAssignments").ToArray();

        // The app's seven, and the departments' senders' loop (each on its own topic: the test below).
        Assert.Equal(8, assignments.Length);
        var granted = new List<string>();
        foreach (var assignment in assignments)
        {
            Assert.StartsWith("[guid(", assignment.Resource.GetProperty("name").GetString());
            Assert.Equal(assignment.Resource.TryGetProperty("copy", out _) ? "[variables('senders')[copyIndex()].principalType]" : "ServicePrincipal",
                assignment.Properties.GetProperty("principalType").GetString());
            var expression = assignment.Properties.GetProperty("roleDefinitionId").GetString()!;
            var key = Regex.Match(expression, @"variables\('roles'\)\.(\w+)").Groups[1].Value;
            var roleId = assignment.Template.GetProperty("variables").GetProperty("roles").GetProperty(key).GetString()!;
            Assert.True(ExpectedRoles.ContainsKey(roleId), $"unexpected role {roleId} in {expression}");
            granted.Add(ExpectedRoles[roleId]);
            Assert.True(assignment.Resource.TryGetProperty("scope", out _), "every role is scoped to a resource, never the resource group");
        }

        Assert.Equal(ExpectedRoles.Values.Order(), granted.Distinct().Order());
        // Blob Data Owner only on the two containers, never the account.
        Assert.All(assignments.Where(a => a.Resource.GetProperty("scope").GetString()!.Contains("blobServices/containers", StringComparison.Ordinal)),
            a => Assert.Contains("storageBlobDataOwner", a.Properties.GetProperty("roleDefinitionId").GetString()));
        Assert.Equal(2, assignments.Count(a => a.Properties.GetProperty("roleDefinitionId").GetString()!.Contains("storageBlobDataOwner", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Each_department_may_send_only_to_its_own_topic_which_stamps_its_code_and_only_the_app_may_send_to_the_queue()
    {
        var template = await BicepCli.CompiledMainAsync();
        var senders = ArmResource.All(template).Where(r => r.Type == "Microsoft.Authorization/roleAssignments"
            && r.Properties.GetProperty("roleDefinitionId").GetString()!.Contains("serviceBusDataSender", StringComparison.Ordinal)).ToArray();

        // The shared queue: one sender, the app's own identity (resources.bicep binds principalId to it), never in a loop.
        var onQueue = Assert.Single(senders, r => r.Resource.GetProperty("scope").GetString()!.Contains("Microsoft.ServiceBus/namespaces/queues", StringComparison.Ordinal));
        Assert.Equal("[parameters('principalId')]", onQueue.Properties.GetProperty("principalId").GetString());
        Assert.False(onQueue.Resource.TryGetProperty("copy", out _));
        Assert.Matches(@"principalId:\s*identity\.properties\.principalId", await File.ReadAllTextAsync(Path.Combine(BicepCli.InfraDirectory, "modules", "resources.bicep")));

        // Every other sender: a department's, on that department's topic and nothing wider (not the namespace, not the group).
        var department = Assert.Single(senders, r => r != onQueue);
        var topics = Single(template, "Microsoft.ServiceBus/namespaces/topics");
        var topicName = Regex.Match(topics.Resource.GetProperty("name").GetString()!, @"^\[format\('\{0\}/\{1\}', parameters\('serviceBusNamespaceName'\), (.+)\)\]$").Groups[1].Value;
        Assert.Equal("format('{0}-{1}', parameters('queueName'), toLower(parameters('departments')[copyIndex()].code))", topicName);
        Assert.Equal("[length(parameters('departments'))]", topics.Resource.GetProperty("copy").GetProperty("count").GetString());
        // The pair (principal, department) is one element of 'senders': the principal's scope is its own department's topic.
        Assert.Equal("[length(variables('senders'))]", department.Resource.GetProperty("copy").GetProperty("count").GetString());
        Assert.Equal("[variables('senders')[copyIndex()].principalId]", department.Properties.GetProperty("principalId").GetString());
        var ownTopic = topicName.Replace("[copyIndex()]", "[variables('senders')[copyIndex()].department]", StringComparison.Ordinal);
        Assert.Equal($"[resourceId('Microsoft.ServiceBus/namespaces/topics', parameters('serviceBusNamespaceName'), {ownTopic})]", department.Resource.GetProperty("scope").GetString());
        // ... and 'senders' pairs each department's listed principals with that department's position, and nothing else.
        Assert.Equal("[flatten(map(range(0, length(parameters('departments'))), lambda('i', map(parameters('departments')[lambdaVariables('i')].senderPrincipalIds, "
            + "lambda('p', createObject('department', lambdaVariables('i'), 'principalId', lambdaVariables('p'), 'principalType', coalesce(tryGet(parameters('departments')[lambdaVariables('i')], 'senderPrincipalType'), 'ServicePrincipal')))))))]",
            department.Template.GetProperty("variables").GetProperty("senders").GetString());
        // Granted only once the stamping rule exists, so nothing is forwarded unstamped.
        Assert.Contains(department.Resource.GetProperty("dependsOn").EnumerateArray(), d => d.GetString() == "vouches");

        // The topic's one subscription forwards to the queue, through one rule that stamps the same department's code
        // into the property the processor reads (SenderVouch.PropertyName), overwriting what a sender set.
        var forward = Single(template, "Microsoft.ServiceBus/namespaces/topics/subscriptions");
        Assert.Equal("[parameters('queueName')]", forward.Properties.GetProperty("forwardTo").GetString());
        var rule = Single(template, "Microsoft.ServiceBus/namespaces/topics/subscriptions/rules");
        Assert.Equal("SqlFilter", rule.Properties.GetProperty("filterType").GetString());
        Assert.Equal("1=1", rule.Properties.GetProperty("sqlFilter").GetProperty("sqlExpression").GetString());
        Assert.Equal("[format('SET vouchedDepartment = ''{0}''', replace(parameters('departments')[copyIndex()].code, '''', ''''''))]",
            rule.Properties.GetProperty("action").GetProperty("sqlExpression").GetString());

        // The module is given main's list of departments, read from the azd environment.
        var module = Single(template, "Microsoft.Resources/deployments", "departments");
        Assert.Contains("parameters('departments')", module.Properties.GetProperty("parameters").GetProperty("departments").GetRawText());
        Assert.Contains("DEPARTMENT_SENDERS", await File.ReadAllTextAsync(Path.Combine(BicepCli.InfraDirectory, "main.bicepparam")));
    }

    [Fact]
    public async Task Deployed_for_three_departments_each_sender_may_send_to_its_own_topic_alone_which_stamps_its_own_code()
    {
        var template = await BicepCli.CompiledMainAsync();
        var topics = Single(template, "Microsoft.ServiceBus/namespaces/topics");
        static Dictionary<string, object?> Department(string code, params string[] senders) =>
            new(StringComparer.OrdinalIgnoreCase) { ["code"] = code, ["senderPrincipalIds"] = senders.Cast<object?>().ToList() };
        var departments = new List<object?> { Department("HO", "p-ho-1", "p-ho-2"), Department("MOJ", "p-moj"), Department("O'X", "p-ox") };
        var arm = new ArmExpressions(topics.Template, new Dictionary<string, object?> { ["serviceBusNamespaceName"] = "sb", ["queueName"] = "asset-events", ["departments"] = departments });
        IEnumerable<int> Copies(ArmResource r) => Enumerable.Range(0, checked((int)(long)arm.Evaluate(r.Resource.GetProperty("copy").GetProperty("count").GetString()!)!));
        string At(ArmResource r, string value, int i) => (string)arm.Evaluate(value, i)!;

        var topicNames = Copies(topics).Select(i => At(topics, topics.Resource.GetProperty("name").GetString()!, i)).ToArray();
        Assert.Equal(["sb/asset-events-ho", "sb/asset-events-moj", "sb/asset-events-o'x"], topicNames);

        // Each topic's rule stamps its own department's code (a quote doubled), and its subscription forwards to the queue.
        var rule = Single(template, "Microsoft.ServiceBus/namespaces/topics/subscriptions/rules");
        var stamps = Copies(rule).ToDictionary(i => At(rule, rule.Resource.GetProperty("name").GetString()!, i), i => At(rule, rule.Properties.GetProperty("action").GetProperty("sqlExpression").GetString()!, i));
        Assert.Equal(new Dictionary<string, string>
        {
            ["sb/asset-events-ho/to-asset-events/vouch-department"] = "SET vouchedDepartment = 'HO'",
            ["sb/asset-events-moj/to-asset-events/vouch-department"] = "SET vouchedDepartment = 'MOJ'",
            ["sb/asset-events-o'x/to-asset-events/vouch-department"] = "SET vouchedDepartment = 'O''X'",
        }, stamps);
        var forward = Single(template, "Microsoft.ServiceBus/namespaces/topics/subscriptions");
        Assert.All(Copies(forward), i => Assert.Equal("asset-events", At(forward, forward.Properties.GetProperty("forwardTo").GetString()!, i)));

        // Every sender's grants: Data Sender on its own department's topic, and nothing else (not the queue, not another topic).
        var senders = ArmResource.All(template).Single(r => r.Type == "Microsoft.Authorization/roleAssignments" && r.Resource.TryGetProperty("copy", out _));
        Assert.Contains("serviceBusDataSender", senders.Properties.GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        var grants = Copies(senders).Select(i => (Principal: At(senders, senders.Properties.GetProperty("principalId").GetString()!, i), Scope: At(senders, senders.Resource.GetProperty("scope").GetString()!, i)))
            .OrderBy(g => g.Principal, StringComparer.Ordinal).ToArray();
        Assert.Equal([
            ("p-ho-1", "Microsoft.ServiceBus/namespaces/topics/sb/asset-events-ho"),
            ("p-ho-2", "Microsoft.ServiceBus/namespaces/topics/sb/asset-events-ho"),
            ("p-moj", "Microsoft.ServiceBus/namespaces/topics/sb/asset-events-moj"),
            ("p-ox", "Microsoft.ServiceBus/namespaces/topics/sb/asset-events-o'x"),
        ], grants);
        Assert.All(Copies(senders), i => Assert.Equal("ServicePrincipal", At(senders, senders.Properties.GetProperty("principalType").GetString()!, i)));
    }

    [Fact]
    public async Task App_Service_Authentication_fronts_every_route_but_health_and_the_app_is_told_to_trust_it()
    {
        var template = await BicepCli.CompiledMainAsync();

        var auth = Single(template, "Microsoft.Web/sites/config", "authsettingsV2").Properties;
        Assert.True(auth.GetProperty("platform").GetProperty("enabled").GetBoolean());
        var validation = auth.GetProperty("globalValidation");
        Assert.True(validation.GetProperty("requireAuthentication").GetBoolean());
        Assert.Equal("Return401", validation.GetProperty("unauthenticatedClientAction").GetString());
        // Health, and each NetBox department's webhook path (authenticated by its signature instead), nothing else.
        Assert.Equal("[concat(createArray('/api/health'), map(parameters('netBoxDepartments'), lambda('d', format('/api/departments/{0}/netbox', lambdaVariables('d')))))]",
            validation.GetProperty("excludedPaths").GetString());
        Assert.True(auth.GetProperty("identityProviders").GetProperty("azureActiveDirectory").GetProperty("enabled").GetBoolean());
        Assert.Contains("ComplianceAuth__TrustPlatformPrincipal", Single(template, "Microsoft.Web/sites/config", "appsettings").Properties.GetRawText());

        var site = Single(template, "Microsoft.Web/sites").Properties;
        Assert.True(site.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("Disabled", site.GetProperty("siteConfig").GetProperty("ftpsState").GetString());
        Assert.Equal("dotnet-isolated", site.GetProperty("functionAppConfig").GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("UserAssignedIdentity", site.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal("FC1", Single(template, "Microsoft.Web/serverfarms").Resource.GetProperty("sku").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Each_NetBox_department_secret_is_a_Key_Vault_reference_the_app_identity_alone_may_read()
    {
        var template = await BicepCli.CompiledMainAsync();

        var app = Single(template, "Microsoft.Web/sites/config", "appsettings");
        var references = app.Template.GetProperty("variables").GetProperty("netBoxSecretSettings").GetString()!;
        Assert.Equal("[toObject(parameters('netBoxDepartments'), lambda('d', format('NetBox__Secrets__{0}', lambdaVariables('d'))), lambda('d', format('@Microsoft.KeyVault(SecretUri={0}secrets/netbox-{1}/)', parameters('keyVaultUri'), toLower(lambdaVariables('d')))))]", references);
        Assert.Contains("variables('netBoxSecretSettings')", app.Properties.GetRawText());
        var site = Single(template, "Microsoft.Web/sites").Properties;
        Assert.Equal("[parameters('identityId')]", site.GetProperty("keyVaultReferenceIdentity").GetString());

        var vault = Single(template, "Microsoft.KeyVault/vaults").Properties;
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.False(vault.TryGetProperty("accessPolicies", out _));
        var readers = ArmResource.All(template).Where(r => r.Type == "Microsoft.Authorization/roleAssignments" && r.Properties.GetProperty("roleDefinitionId").GetString()!.Contains("keyVaultSecretsUser", StringComparison.Ordinal)).ToArray();
        var reader = Assert.Single(readers);
        Assert.Equal("[parameters('principalId')]", reader.Properties.GetProperty("principalId").GetString());
        Assert.Contains("Microsoft.KeyVault/vaults", reader.Resource.GetProperty("scope").GetString());

        var main = await File.ReadAllTextAsync(Path.Combine(BicepCli.InfraDirectory, "modules", "resources.bicep"));
        Assert.Matches(@"principalId:\s*identity\.properties\.principalId", main); // the function app's identity, nobody else
        var parameters = await BicepCli.RunAsync("build-params", "main.bicepparam", "--stdout");
        Assert.Contains("netBoxDepartments", parameters.Output);
    }

    [Fact]
    public async Task Dead_letters_and_function_failures_raise_monitor_alerts()
    {
        var template = await BicepCli.CompiledMainAsync();

        var metrics = ArmResource.All(template).Where(r => r.Type == "Microsoft.Insights/metricAlerts")
            .Select(r => r.Properties.GetProperty("criteria").GetProperty("allOf")[0].GetProperty("metricName").GetString()).ToArray();
        Assert.Equal(["DeadletteredMessages", "requests/failed"], metrics.Order());
        // Dead letters of every entity: the queue, and each department topic's forwarding subscription.
        var deadLetters = ArmResource.All(template).Single(r => r.Type == "Microsoft.Insights/metricAlerts" && r.Properties.GetProperty("criteria").GetProperty("allOf")[0].GetProperty("metricName").GetString() == "DeadletteredMessages");
        Assert.Equal(["*"], deadLetters.Properties.GetProperty("criteria").GetProperty("allOf")[0].GetProperty("dimensions")[0].GetProperty("values").EnumerateArray().Select(v => v.GetString()));
    }

    /// <summary>
    /// Issue 18's settings reach the app: the not-seen window always, the networks file or folder only when one is
    /// given (absent means no networks file: segments unknown), and the function app carries catalogue/networks/.
    /// </summary>
    [Fact]
    public async Task The_observation_settings_reach_the_app_and_the_networks_setting_only_when_given()
    {
        var template = await BicepCli.CompiledMainAsync();

        var settings = Single(template, "Microsoft.Web/sites/config", "appsettings").Properties.GetRawText();
        Assert.Contains("'Observations__NotSeenDays', string(parameters('observationNotSeenDays'))", settings, StringComparison.Ordinal);
        Assert.Contains("if(empty(parameters('observationNetworks')), createObject(), createObject('Observations__Networks', parameters('observationNetworks')))", settings, StringComparison.Ordinal);
        var parameters = await BicepCli.RunAsync("build-params", "main.bicepparam", "--stdout");
        Assert.Contains("observationNetworks", parameters.Output, StringComparison.Ordinal);
        var project = await File.ReadAllTextAsync(Path.Combine(BicepCli.InfraDirectory, "..", "functions", "AssetCompliance.Functions", "AssetCompliance.Functions.csproj"));
        Assert.Contains("catalogue/networks/*.json\" Link=\"networks/", project, StringComparison.Ordinal);
    }

    private static ArmResource Single(JsonElement template, string type, string? nameContains = null) =>
        Assert.Single(ArmResource.All(template), r => r.Type == type && (nameContains is null || r.Resource.GetProperty("name").GetString()!.Contains(nameContains, StringComparison.Ordinal)));
}
