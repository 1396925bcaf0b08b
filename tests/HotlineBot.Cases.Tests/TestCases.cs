namespace HotlineBot.Cases.Tests;

/// <summary>Cases as the handoff dialog would open them.</summary>
public static class TestCases
{
    public static HotlineCase Draft(string conversationId = "conv-1", string? phone = "13812348000") => new()
    {
        Priority = CasePriority.High,
        Category = CaseCategory.LegalAid,
        Worker = new WorkerContact(
            "webchat",
            conversationId,
            """{"channelId":"webchat","conversation":{"id":"conv-1"},"serviceUrl":"http://localhost:3978/"}""",
            "王师傅",
            phone),
        Description = "老板拖欠三个月工资，不给结算",
    };
}
