using System.Net;
using System.Text.Json.Nodes;

namespace HotlineBot.Tests.Curation;

/// <summary>Export and import through the API on the real host: lossless round trips, the dry run, conflicts, errors, and imports live on the bot.</summary>
public sealed class KnowledgeExchangeApiTests(KnowledgeAdminFixture fixture) : IClassFixture<KnowledgeAdminFixture>
{
    [Theory]
    [InlineData("yaml")]
    [InlineData("json")]
    [InlineData("csv")]
    public async Task AnExportImportsBackAsUnchanged(string format)
    {
        var exported = await ExportAsync(format);
        var plan = await ImportAsync(exported, format, dryRun: true, HttpStatusCode.OK);

        Assert.Empty(plan["create"]!.AsArray());
        Assert.Empty(plan["update"]!.AsArray());
        Assert.Empty(plan["conflicts"]!.AsArray());
        Assert.Empty(plan["errors"]!.AsArray());
        Assert.True((int)plan["unchanged"]! >= 45, plan.ToJsonString());
        Assert.False((bool)plan["applied"]!);
    }

    [Fact]
    public async Task AnEditedExportUpdatesTheEntry_AndTheBotAnswersWithIt()
    {
        var id = await CreateAsync("电焊工要不要发防护口罩？", "要，单位应免费发放劳动防护用品。");
        var file = JsonNode.Parse(await ExportAsync("json"))!.AsObject();
        var entry = file["entries"]!.AsArray().Single(e => (string?)e!["id"] == id)!;
        var marker = "导入更新" + Guid.NewGuid().ToString("N")[..6];
        entry["answer"] = $"要，单位应免费发放符合标准的劳动防护用品。{marker}";

        var dry = await ImportAsync(file.ToJsonString(), "json", dryRun: true, HttpStatusCode.OK);
        var update = Assert.Single(dry["update"]!.AsArray());
        Assert.Equal(id, (string?)update!["id"]);
        Assert.Equal("answer", (string?)Assert.Single(update["changes"]!.AsArray())!["field"]);
        Assert.Equal(1, (int)(await fixture.EntryAsync(id))["version"]!);

        var applied = await ImportAsync(file.ToJsonString(), "json", dryRun: false, HttpStatusCode.OK);
        Assert.True((bool)applied["applied"]!);
        var now = await fixture.EntryAsync(id);
        Assert.Equal(2, (int)now["version"]!);
        Assert.Contains(marker, (string?)(await fixture.AskBotAsync("电焊工要不要发防护口罩"))["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEntryEditedSinceTheExportIsAConflict_AndIsNeverOverwritten()
    {
        var id = await CreateAsync("搬运工中暑算工伤吗？", "在工作时间和工作场所内因工作原因中暑，可以申请认定工伤。");
        var exported = await ExportAsync("yaml");
        using (var edit = await fixture.SendAsync(HttpMethod.Put, $"/api/knowledge/{id}", new { answer = "管理员后来改过的答案：可以申请认定工伤。" }, ifMatch: 1))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }

        var stale = exported.Replace("在工作时间和工作场所内因工作原因中暑", "文件里改的答案", StringComparison.Ordinal);
        var applied = await ImportAsync(stale, "yaml", dryRun: false, HttpStatusCode.OK);
        var conflict = Assert.Single(applied["conflicts"]!.AsArray(), c => (string?)c!["id"] == id)!;
        Assert.Equal(2, (int)conflict["currentVersion"]!);
        Assert.Equal(1, (int)conflict["fileVersion"]!);
        Assert.Equal("管理员后来改过的答案：可以申请认定工伤。", (string?)(await fixture.EntryAsync(id))["answer"]);
    }

    [Fact]
    public async Task TheSeedFilesReimportWithoutTouchingAdminEdits()
    {
        var seedFile = await File.ReadAllTextAsync(Path.Combine(TestSeeds.Directory, "knowledge", "hours-leave.yaml"), TestContext.Current.CancellationToken);
        var entry = await fixture.EntryAsync("paid-annual-leave");
        using (var edit = await fixture.SendAsync(HttpMethod.Put, "/api/knowledge/paid-annual-leave", new { region = "深圳" }, ifMatch: (int)entry["version"]!))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }

        var plan = await ImportAsync(seedFile, "yaml", dryRun: false, HttpStatusCode.OK);
        Assert.Contains(plan["conflicts"]!.AsArray(), c => (string?)c!["id"] == "paid-annual-leave");
        Assert.Empty(plan["create"]!.AsArray());
        Assert.Equal("深圳", (string?)(await fixture.EntryAsync("paid-annual-leave"))["region"]);
    }

    [Fact]
    public async Task AFileWithErrorsAppliesNothing_AndNamesTheField()
    {
        const string Csv = "id,question,answer,category\nnew-one,新问题,新答案,wages\nbad-one,另一个问题,,wages\n";
        var dry = await ImportAsync(Csv, "csv", dryRun: true, HttpStatusCode.OK);
        Assert.Contains(dry["errors"]!.AsArray(), e => (string?)e!["field"] == "answer");

        await ImportAsync(Csv, "csv", dryRun: false, HttpStatusCode.BadRequest);
        using var missing = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge/new-one");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var badFormat = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge/import?format=xml", text: "<x/>");
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
    }

    [Fact]
    public async Task AnImportPastTheLimitIs413_AndAppliesNothing()
    {
        var oversized = "id,question,answer,category\noversized-import,问,答,wages\n" + new string('x', HotlineBot.Curation.KnowledgeExchangeApi.MaxImportBytes);
        using var response = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge/import?format=csv&dryRun=false", text: oversized);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var missing = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge/oversized-import");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ExportAndImportAreForAdminsOnly()
    {
        using var anonymous = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge/export?format=csv", token: string.Empty);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var asOperator = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge/import?format=csv", token: fixture.Host.OperatorToken, text: "id\n");
        Assert.Equal(HttpStatusCode.Forbidden, asOperator.StatusCode);
    }

    private async Task<string> ExportAsync(string format)
    {
        using var response = await fixture.SendAsync(HttpMethod.Get, $"/api/knowledge/export?format={format}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($".{format}", response.Content.Headers.ContentDisposition?.FileName ?? string.Empty, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private async Task<JsonObject> ImportAsync(string content, string format, bool dryRun, HttpStatusCode expected)
    {
        using var response = await fixture.SendAsync(HttpMethod.Post, $"/api/knowledge/import?format={format}&dryRun={(dryRun ? "true" : "false")}", text: content);
        return await KnowledgeAdminFixture.ReadAsync(response, expected);
    }

    private async Task<string> CreateAsync(string question, string answer)
    {
        using var response = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge", new { question, answer, category = "work-injury" });
        return (string)(await KnowledgeAdminFixture.ReadAsync(response, HttpStatusCode.Created))["id"]!;
    }
}
