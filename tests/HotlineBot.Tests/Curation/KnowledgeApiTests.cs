using System.Diagnostics;
using System.Globalization;
using System.Net;
using HotlineBot.Curation;
using HotlineBot.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineBot.Tests.Curation;

/// <summary>The admins' knowledge API on the real host: roles, validation, versions, history, the guard, and edits live on the bot at once.</summary>
public sealed class KnowledgeApiTests(KnowledgeAdminFixture fixture) : IClassFixture<KnowledgeAdminFixture>
{
    private const string Overtime = "overtime-pay-rates";

    [Fact]
    public async Task OnlyAdminsUseTheApi()
    {
        using var anonymous = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge", token: string.Empty);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var asOperator = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge", token: fixture.Host.OperatorToken);
        Assert.Equal(HttpStatusCode.Forbidden, asOperator.StatusCode);
        using var operatorWrite = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge", new { question = "q", answer = "a", category = "wages" }, token: fixture.Host.OperatorToken);
        Assert.Equal(HttpStatusCode.Forbidden, operatorWrite.StatusCode);

        using var admin = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge?category=wages&pageSize=2");
        var list = await KnowledgeAdminFixture.ReadAsync(admin, HttpStatusCode.OK);
        Assert.Equal(2, list["items"]!.AsArray().Count);
        Assert.True((int)list["total"]! > 2);
        Assert.All(list["items"]!.AsArray(), i => Assert.Equal("wages", (string?)i!["category"]));
    }

    [Fact]
    public async Task CreateNeedsOnlyQuestionAnswerAndCategory_AndFillsTheRest()
    {
        using var response = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge", new { question = "夜班补贴有没有规定？", answer = "**夜班补贴**由单位规定，写进合同或制度。", category = "wages" });
        var created = await KnowledgeAdminFixture.ReadAsync(response, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        Assert.Matches("^wages-[0-9]+$", id);
        Assert.Equal(1, (int)created["version"]!);
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        Assert.Equal("national", (string?)created["region"]);
        Assert.Equal("published", (string?)created["status"]);
        var today = fixture.Host.Host.Services.GetRequiredService<KnowledgeClock>().Today;
        Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string?)created["effectiveFrom"]);
        Assert.Equal(today.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string?)created["reviewBy"]);
        Assert.Equal($"/api/knowledge/{id}", response.Headers.Location?.ToString());

        var read = await fixture.EntryAsync(id);
        Assert.Equal("夜班补贴有没有规定？", (string?)read["question"]);
    }

    [Theory]
    [InlineData("""{"question":"问","category":"wages"}""", "answer")]
    [InlineData("""{"question":"问","answer":"答"}""", "category")]
    [InlineData("""{"question":"问","answer":"答","category":"Wages Pay"}""", "category")]
    [InlineData("""{"question":"问","answer":"答","category":"wages","effectiveFrom":"2026/01/01"}""", "effectiveFrom")]
    [InlineData("""{"question":"问","answer":"答","category":"wages","effectiveFrom":"2026-01-01","reviewBy":"2025-01-01"}""", "reviewBy")]
    [InlineData("""{"question":"问","answer":"答","category":"wages","sources":[{"title":"劳动法","article":"第一条"},{"article":"第二条"}]}""", "sources[1].title")]
    [InlineData("""{"question":"问","answer":"答","category":"wages","alternates":5}""", "alternates")]
    [InlineData("""{"question":"问","answer":"答","category":"wages","alternates":["好",""]}""", "alternates[1]")]
    [InlineData("""{"question":"问","answer":"答","category":"wages","status":"live"}""", "status")]
    [InlineData("""{"id":"Bad Id","question":"问","answer":"答","category":"wages"}""", "id")]
    public async Task InvalidEntriesAre400NamingTheField(string json, string field)
    {
        using var response = await fixture.Host.Host.Client.SendAsync(Json(HttpMethod.Post, "/api/knowledge", json), TestContext.Current.CancellationToken);
        var error = await KnowledgeAdminFixture.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, (string?)error["field"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
    }

    [Fact]
    public async Task StaleVersionIs412AndOverwritesNothing()
    {
        var id = await CreateAsync("工作服押金可以扣吗？", "单位不得向劳动者收取押金。");
        using (var missing = await fixture.SendAsync(HttpMethod.Put, $"/api/knowledge/{id}", new { answer = "无 If-Match" }))
        {
            Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        }

        using (var first = await fixture.SendAsync(HttpMethod.Put, $"/api/knowledge/{id}", new { answer = "第一次修改：单位不得收取押金。" }, ifMatch: 1))
        {
            var updated = await KnowledgeAdminFixture.ReadAsync(first, HttpStatusCode.OK);
            Assert.Equal(2, (int)updated["version"]!);
            Assert.Equal("\"2\"", first.Headers.ETag?.ToString());
        }

        using (var stale = await fixture.SendAsync(HttpMethod.Put, $"/api/knowledge/{id}", new { answer = "过时的修改" }, ifMatch: 1))
        {
            var error = await KnowledgeAdminFixture.ReadAsync(stale, HttpStatusCode.PreconditionFailed);
            Assert.Equal("stale", (string?)error["error"]);
            Assert.Equal(2, (int)error["currentVersion"]!);
        }

        var now = await fixture.EntryAsync(id);
        Assert.Equal("第一次修改：单位不得收取押金。", (string?)now["answer"]);
        Assert.Equal(2, (int)now["version"]!);
    }

    [Fact]
    public async Task HistoryListsEveryVersionWithWhoWhenAndTheFieldDiff_AndRestoreBringsAnOldVersionBack()
    {
        var id = await CreateAsync("加班餐费公司要报销吗？", "看单位制度。");
        using (var update = await fixture.SendAsync(HttpMethod.Put, $"/api/knowledge/{id}", new { answer = "看单位规章制度和劳动合同的约定。", tags = MealTags }, ifMatch: 1))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        using var response = await fixture.SendAsync(HttpMethod.Get, $"/api/knowledge/{id}/history");
        var history = (await KnowledgeAdminFixture.ReadAsync(response, HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(2, history.Count);
        Assert.Equal("created", (string?)history[0]!["kind"]);
        var second = history[1]!;
        Assert.Equal(2, (int)second["version"]!);
        Assert.Equal(AccountsHostAdmin, (string?)second["author"]);
        Assert.True(DateTimeOffset.Parse((string)second["at"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));
        var answer = second["changes"]!.AsArray().Single(c => (string?)c!["field"] == "answer")!;
        Assert.Equal("看单位制度。", (string?)answer["old"]);
        Assert.Equal("看单位规章制度和劳动合同的约定。", (string?)answer["new"]);
        Assert.Contains(second["changes"]!.AsArray(), c => (string?)c!["field"] == "tags");

        using var restore = await fixture.SendAsync(HttpMethod.Post, $"/api/knowledge/{id}/restore", new { version = 1 }, ifMatch: 2);
        var restored = await KnowledgeAdminFixture.ReadAsync(restore, HttpStatusCode.OK);
        Assert.Equal(3, (int)restored["version"]!);
        Assert.Equal("看单位制度。", (string?)restored["answer"]);
        Assert.Empty(restored["tags"]!.AsArray());
    }

    [Fact]
    public async Task AnEditIsLiveOnTheBotAtOnce_AndRetiringStopsTheAnswer()
    {
        var id = await CreateAsync("快递员电动车被偷了公司要赔吗？", "先报警，再看和公司的约定。", "labour-contract");
        Assert.Contains("先报警", (string?)(await fixture.AskBotAsync("快递员电动车被偷了公司要赔吗"))["text"], StringComparison.Ordinal);

        var marker = "编辑即时生效" + Guid.NewGuid().ToString("N")[..6];
        var started = Stopwatch.GetTimestamp();
        using (var update = await fixture.SendAsync(HttpMethod.Put, $"/api/knowledge/{id}", new { answer = $"先报警。{marker}" }, ifMatch: 1))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        var saved = Stopwatch.GetTimestamp();
        var reply = await fixture.AskBotAsync("快递员电动车被偷了公司要赔吗");
        Timings.Report(string.Create(CultureInfo.InvariantCulture,
            $"edit-to-live: PUT {Stopwatch.GetElapsedTime(started, saved).TotalMilliseconds:0.0} ms (guard, store, index update), then the bot's answer {Stopwatch.GetElapsedTime(saved).TotalMilliseconds:0.0} ms later"));
        Assert.Equal("answer", BotClient.Kind(reply));
        Assert.Contains(marker, (string?)reply["text"], StringComparison.Ordinal);

        using (var retire = await fixture.SendAsync(HttpMethod.Delete, $"/api/knowledge/{id}"))
        {
            Assert.Equal("retired", (string?)(await KnowledgeAdminFixture.ReadAsync(retire, HttpStatusCode.OK))["status"]);
        }

        var after = await fixture.AskBotAsync("快递员电动车被偷了公司要赔吗");
        Assert.DoesNotContain(marker, (string?)after["text"] ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal("retired", (string?)(await fixture.EntryAsync(id))["status"]);
    }

    [Fact]
    public async Task TheGuardRefusesAChangeThatBreaksRegressionCases_UnlessForced()
    {
        var before = await fixture.EntryAsync(Overtime);
        var version = (int)before["version"]!;
        using (var refused = await fixture.SendAsync(HttpMethod.Put, $"/api/knowledge/{Overtime}", new { answer = "加班费按单位规定发。" }, ifMatch: version))
        {
            var error = await KnowledgeAdminFixture.ReadAsync(refused, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("regression", (string?)error["error"]);
            Assert.Contains(error["failures"]!.AsArray(), f => (string?)f!["want"] == "answer" && ((string?)f["question"])!.Contains("加班", StringComparison.Ordinal));
        }

        Assert.Equal(version, (int)(await fixture.EntryAsync(Overtime))["version"]!);
        Assert.Contains("150%", (string?)(await fixture.AskBotAsync("加班费怎么算"))["text"], StringComparison.Ordinal);

        using (var retire = await fixture.SendAsync(HttpMethod.Delete, $"/api/knowledge/{Overtime}"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, retire.StatusCode);
        }

        var restoredAnswer = (string)before["answer"]! + "\n（已按强制发布保存）";
        using (var forced = await fixture.SendAsync(HttpMethod.Put, $"/api/knowledge/{Overtime}?force=true", new { answer = "加班费按单位规定发。" }, ifMatch: version))
        {
            Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        }

        // Put the answer back (forced, since the broken version is now the baseline no case passes against).
        using (var back = await fixture.SendAsync(HttpMethod.Put, $"/api/knowledge/{Overtime}", new { answer = restoredAnswer }, ifMatch: version + 1))
        {
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        }

        Assert.Contains("150%", (string?)(await fixture.AskBotAsync("加班费怎么算"))["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskShowsWhatTheBotWouldDo()
    {
        using var response = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge/ask?q=" + Uri.EscapeDataString("周末加班没给加班费怎么办"));
        var ask = await KnowledgeAdminFixture.ReadAsync(response, HttpStatusCode.OK);
        var bot = await fixture.AskBotAsync("周末加班没给加班费怎么办");
        Assert.Equal(BotClient.Kind(bot), (string?)ask["reply"]!["kind"]);
        Assert.Equal((string?)ask["band"], (string?)ask["reply"]!["kind"] == "answer" ? "answer" : (string?)ask["band"]);
        var top = ask["candidates"]!.AsArray()[0]!;
        Assert.NotEmpty(top["matchedTerms"]!.AsArray());
        Assert.InRange((double)top["confidence"]!, 0.0, 1.0);
        Assert.Equal((string?)bot["channelData"]?["hotline"]?["entryId"], (string?)ask["reply"]!["kind"] == "answer" ? (string?)top["id"] : null);

        using var emergency = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge/ask?q=" + Uri.EscapeDataString("工友从脚手架上摔下来了流了很多血"));
        Assert.Equal("emergency", (string?)(await KnowledgeAdminFixture.ReadAsync(emergency, HttpStatusCode.OK))["reply"]!["kind"]);
    }

    [Fact]
    public async Task ReviewListsOverdueEntries_AndTheDailyJobRemindsAdminsOnce()
    {
        using (var response = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge", new { question = "2020年的旧补贴标准？", answer = "旧标准。", category = "wages", effectiveFrom = "2020-01-01", reviewBy = "2021-01-01" }))
        {
            var created = await KnowledgeAdminFixture.ReadAsync(response, HttpStatusCode.Created);
            Assert.True((bool)created["reviewDue"]!);
        }

        using var review = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge/review");
        var items = (await KnowledgeAdminFixture.ReadAsync(review, HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Contains(items, i => (string?)i!["question"] == "2020年的旧补贴标准？" && (bool)i["reviewDue"]!);

        using (var scope = fixture.Host.Host.Services.CreateScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<ReviewReminderJob>();
            await job.RunAsync(TestContext.Current.CancellationToken);
            await job.RunAsync(TestContext.Current.CancellationToken);
        }

        using var feed = await fixture.SendAsync(HttpMethod.Get, "/api/notifications");
        var notifications = (await KnowledgeAdminFixture.ReadAsync(feed, HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Single(notifications, n => (string?)n!["kind"] == ReviewReminderJob.Kind);
        using var operatorFeed = await fixture.SendAsync(HttpMethod.Get, "/api/notifications", token: fixture.Host.OperatorToken);
        Assert.DoesNotContain((await KnowledgeAdminFixture.ReadAsync(operatorFeed, HttpStatusCode.OK))["items"]!.AsArray(), n => (string?)n!["kind"] == ReviewReminderJob.Kind);
    }

    [Fact]
    public async Task RegressionCasesAreEditableAndRun()
    {
        using (var list = await fixture.SendAsync(HttpMethod.Get, "/api/knowledge/regression"))
        {
            Assert.True((int)(await KnowledgeAdminFixture.ReadAsync(list, HttpStatusCode.OK))["total"]! >= 60);
        }

        using (var bad = await fixture.SendAsync(HttpMethod.Put, "/api/knowledge/regression/A001", new { kind = "answer", q = "", expect = Array.Empty<string[]>() }))
        {
            Assert.Equal("q", (string?)(await KnowledgeAdminFixture.ReadAsync(bad, HttpStatusCode.BadRequest))["field"]);
        }

        using (var save = await fixture.SendAsync(HttpMethod.Put, "/api/knowledge/regression/A001", new { topic = "admin", kind = "answer", q = "节假日加班工资怎么算", expect = HolidayPay }))
        {
            Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        }

        using (var run = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge/regression/run"))
        {
            var report = await KnowledgeAdminFixture.ReadAsync(run, HttpStatusCode.OK);
            Assert.StartsWith("score: ", (string?)report["scoreLine"], StringComparison.Ordinal);
            Assert.True((int)report["judged"]! > 40);
            Assert.DoesNotContain(report["failures"]!.AsArray(), f => (string?)f!["caseId"] == "A001");
        }

        using (var delete = await fixture.SendAsync(HttpMethod.Delete, "/api/knowledge/regression/A001"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var again = await fixture.SendAsync(HttpMethod.Delete, "/api/knowledge/regression/A001");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task PreviewShowsTheAnswerAsTheWorkerSeesIt()
    {
        using var response = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge/preview", new { answer = "人工服务时间：{{operatorHours}}", sources = new[] { new { title = "工会法", article = "第六条" } } });
        var preview = await KnowledgeAdminFixture.ReadAsync(response, HttpStatusCode.OK);
        var text = (string)preview["text"]!;
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.Contains("9:00", text, StringComparison.Ordinal);
        Assert.Contains("工会法", text, StringComparison.Ordinal);
        Assert.Contains("没解决", preview["actions"]!.AsArray().Select(a => (string?)a));
    }

    private static readonly string[] MealTags = ["餐补"];

    private static readonly string[][] HolidayPay = [["300%", "三倍"]];

    private const string AccountsHostAdmin = Accounts.AccountsHost.AdminUser;

    private async Task<string> CreateAsync(string question, string answer, string category = "wages")
    {
        using var response = await fixture.SendAsync(HttpMethod.Post, "/api/knowledge", new { question, answer, category });
        return (string)(await KnowledgeAdminFixture.ReadAsync(response, HttpStatusCode.Created))["id"]!;
    }

    private HttpRequestMessage Json(HttpMethod method, string path, string json)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.Host.AdminToken);
        return request;
    }
}
