using HotlineBot.Casework;
using HotlineBot.Cases;

namespace HotlineBot.Tests.Casework;

/// <summary>What the console reads for the new parts of a case: the worker's pictures and an undeliverable message.</summary>
public sealed class CaseViewsTests
{
    [Fact]
    public void DetailView_CarriesTheWorkersAttachments_OldestFirst()
    {
        var c = new HotlineCase { Worker = new WorkerContact("wechat", "openid-1", "{}", "职工") };
        var at = new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);
        c.Attachments.Add(new CaseAttachment("a-1", "media-1", "image/jpeg", "http://mmbiz.qpic.cn/pic-1", at));
        c.Attachments.Add(new CaseAttachment("a-2", "合同.pdf", "application/pdf", "https://files.example.cn/c.pdf", at.AddMinutes(1)));

        var view = CaseDetailView.From(c, "operator-li", isAdmin: false);

        Assert.Equal(
            [
                new AttachmentView("a-1", "media-1", "image/jpeg", true, "http://mmbiz.qpic.cn/pic-1", at),
                new AttachmentView("a-2", "合同.pdf", "application/pdf", false, "https://files.example.cn/c.pdf", at.AddMinutes(1)),
            ],
            view.Attachments);
    }

    [Fact]
    public void DeliveryStateName_OfAnUndeliverableMessage_IsWhatTheConsoleLabels()
    {
        Assert.Equal("undeliverable", CaseViews.Name(DeliveryState.Undeliverable));
        Assert.Equal("failed", CaseViews.Name(DeliveryState.Failed));
    }
}
