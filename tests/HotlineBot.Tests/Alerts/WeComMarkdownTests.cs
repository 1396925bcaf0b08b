using System.Text;
using HotlineBot.Alerts;
using HotlineBot.Cases;

namespace HotlineBot.Tests.Alerts;

/// <summary>The group message's markdown: what it says, within the robot's limit, and inert user text.</summary>
public sealed class WeComMarkdownTests
{
    private const string CaseId = "12351-20261130-0007";

    private static readonly Uri Link = new($"https://hotline.example.org/operator/#{CaseId}");

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    [Fact]
    public void Alert_OfANewCase_HasNumberCategoryPriorityMaskedPhoneSummaryAndLink()
    {
        var hotlineCase = new HotlineCase
        {
            Worker = new WorkerContact("webchat", "conv-1", "{}", "张师傅", "13812348000"),
            Category = CaseCategory.Assistance,
            Priority = CasePriority.Urgent,
            Description = "工地拖欠工资，老板电话 13912345678 打不通",
        };

        var content = WeComMarkdown.Render(WeComMarkdown.Alert(hotlineCase, WeComAlertNotifier.NewCase, "新工单 …", Link));

        Assert.StartsWith("**新工单**", content, StringComparison.Ordinal);
        Assert.Contains("> 类别：帮扶", content, StringComparison.Ordinal);
        Assert.Contains("> 优先级：**紧急**", content, StringComparison.Ordinal);
        Assert.Contains("> 回电号码：`138****8000`", content, StringComparison.Ordinal);
        Assert.DoesNotContain("13812348000", content, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", content, StringComparison.Ordinal);
        Assert.Contains("> 摘要：工地拖欠工资", content, StringComparison.Ordinal);
        Assert.EndsWith($"[在话务台打开工单]({Link.AbsoluteUri})", content, StringComparison.Ordinal);
    }

    [Fact]
    public void Alert_OfAnEscalation_CarriesTheNotificationsText()
    {
        var hotlineCase = new HotlineCase { Worker = new WorkerContact("webchat", "conv-1", "{}", "张师傅"), Priority = CasePriority.High };

        var content = WeComMarkdown.Render(WeComMarkdown.Alert(hotlineCase, WeComAlertNotifier.Escalated, "工单超过首次响应时限无人认领，优先级由“一般”升为“较急”。", Link));

        Assert.StartsWith("**工单超时未认领，已升级**", content, StringComparison.Ordinal);
        Assert.Contains("\n工单超过首次响应时限无人认领，优先级由“一般”升为“较急”。\n", content, StringComparison.Ordinal);
        Assert.Contains("> 优先级：**较急**", content, StringComparison.Ordinal);
        Assert.Contains("> 回电号码：未留", content, StringComparison.Ordinal);
        Assert.DoesNotContain("摘要", content, StringComparison.Ordinal);
    }

    [Fact]
    public void UserText_CannotAddMarkdown_LinksTagsOrLines()
    {
        const string Typed = "**加粗** [点我](http://e.cn) <font color=\"warning\">红</font>\n# 标题";
        var content = WeComMarkdown.Render(Alert(summary: Typed, category: "咨询*[x](y)"));

        Assert.DoesNotContain("**加粗**", content, StringComparison.Ordinal);
        Assert.DoesNotContain("[点我](", content, StringComparison.Ordinal);
        Assert.DoesNotContain("<font", content, StringComparison.Ordinal);
        Assert.DoesNotContain("\n#", content, StringComparison.Ordinal);
        Assert.Contains("\n> 摘要：＊＊加粗＊＊ ［点我］（http://e.cn） ＜font color=＂warning＂＞红＜/font＞ ＃ 标题\n", content, StringComparison.Ordinal);
        Assert.Contains("\n> 类别：咨询＊［x］（y）\n", content, StringComparison.Ordinal);
        Assert.Equal(6, content.Split('\n').Length);
    }

    [Fact]
    public void Plain_ReplacesEveryMarkdownCharacter_AndJoinsLines()
    {
        Assert.Equal("＞ 引用 ｀代码｀ ＿斜＿ ～删～ ＼ ＆ ｜ ！ 下一行", WeComMarkdown.Plain("> 引用 `代码` _斜_ ~删~ \\ & | !\r\n\r\n下一行\u2028"));
    }

    [Fact]
    public void LongSummary_IsShortened()
    {
        var content = WeComMarkdown.Render(Alert(summary: new string('欠', 500)));

        var summaryLine = content.Split('\n').Single(l => l.StartsWith("> 摘要：", StringComparison.Ordinal));
        Assert.Equal("> 摘要：" + new string('欠', WeComMarkdown.SummaryLength) + "…", summaryLine);
    }

    [Fact]
    public void HugeText_IsCutToTheRobotsLimit_KeepingTheLinkAndWholeCharacters()
    {
        var content = WeComMarkdown.Render(Alert(summary: "摘要", note: string.Concat(Enumerable.Repeat("超时😀", 3000))));

        Assert.InRange(Encoding.UTF8.GetByteCount(content), 3000, WeComMarkdown.MaxBytes);
        StrictUtf8.GetBytes(content);
        Assert.EndsWith($"[在话务台打开工单]({Link.AbsoluteUri})", content, StringComparison.Ordinal);
        Assert.Contains("> 回电号码：`138****8000`", content, StringComparison.Ordinal);
        Assert.Contains("…\n", content, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutPublicBaseUrl_TheMessageNamesTheConsoleAndTheCase()
    {
        var content = WeComMarkdown.Render(Alert() with { Link = null });

        Assert.EndsWith($"请在话务台（/operator）打开工单 {CaseId}", content, StringComparison.Ordinal);
        Assert.DoesNotContain("](", content, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hotline.example.org", "https://hotline.example.org/operator/#12351-20261130-0007")]
    [InlineData("https://example.org/hotline/", "https://example.org/hotline/operator/#12351-20261130-0007")]
    public void CaseLink_OpensTheConsoleOnTheCase(string publicBaseUrl, string expected)
    {
        var options = new AlertOptions { PublicBaseUrl = publicBaseUrl };

        Assert.Equal(expected, options.CaseLink(CaseId)!.AbsoluteUri);
        Assert.Null(new AlertOptions().CaseLink(CaseId));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "https://hotline.example.org", true)]
    [InlineData("qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", null, false)]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "/operator", false)]
    public void Options_AcceptOnlyAbsoluteHttpUrls(string? robot, string? publicBaseUrl, bool valid)
    {
        var options = new AlertOptions { WeComRobotUrl = robot, PublicBaseUrl = publicBaseUrl };

        Assert.Equal(valid, AlertOptions.IsValid(options));
        Assert.Equal(robot is not null, options.Enabled);
    }

    [Fact]
    public void MarkKey_TellsLaterNotificationsOfTheSameKindApart()
    {
        Assert.Equal(WeComAlertJob.MarkKey(CaseId, "escalated", "a"), WeComAlertJob.MarkKey(CaseId, "escalated", "a"));
        Assert.NotEqual(WeComAlertJob.MarkKey(CaseId, "escalated", "一般 → 较急"), WeComAlertJob.MarkKey(CaseId, "escalated", "较急 → 紧急"));
    }

    private static WeComAlert Alert(string summary = "公司拖欠三个月工资不发", string? note = null, string category = "咨询") =>
        new("新工单", CaseId, category, "一般", "138****8000", note, summary, Link);
}
