using HotlineBot.Cases.Lifecycle;

namespace HotlineBot.Cases.Tests.Lifecycle;

public sealed class CaseStateMachineTests
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

    private CaseStateMachine Machine => new(_clock);

    [Fact]
    public void Open_StartsTheHistory_WithStatusNew()
    {
        var c = TestCases.Draft();

        var opened = Machine.Open(c, "bot", "转人工");

        Assert.Equal(CaseStatus.New, c.Status);
        Assert.Equal(new CaseEvent(_clock.GetUtcNow(), "bot", "open", null, CaseStatus.New, "转人工"), Assert.Single(c.History));
        Assert.Same(c.History[0], opened);
    }

    [Fact]
    public void FullLife_ClaimAskReplyResolveClose_RecordsEveryStep()
    {
        var c = Opened();

        Machine.Apply(c, new ClaimTransition("operator-li"), "operator-li");
        Machine.Apply(c, new AskWorkerTransition(), "operator-li", "请提供劳动合同");
        Machine.Apply(c, new WorkerRepliedTransition(), "worker");
        Machine.Apply(c, new ClaimTransition("operator-li"), "operator-li");
        Machine.Apply(c, new ResolveTransition("已指导申请劳动仲裁"), "operator-li");
        _clock.Advance(TimeSpan.FromHours(1));
        var closed = Machine.Apply(c, new CloseTransition(), "system", "回访满意");

        Assert.Equal(CaseStatus.Closed, c.Status);
        Assert.Equal("operator-li", c.Assignee);
        Assert.Equal("已指导申请劳动仲裁", c.Resolution);
        Assert.Equal(["open", "claim", "ask-worker", "worker-replied", "claim", "resolve", "close"], c.History.Select(e => e.Action));
        Assert.Equal(
            [CaseStatus.New, CaseStatus.Claimed, CaseStatus.WaitingForWorker, CaseStatus.WaitingForOperator, CaseStatus.Claimed, CaseStatus.Resolved, CaseStatus.Closed],
            c.History.Select(e => e.To));
        Assert.Equal(new CaseEvent(_clock.GetUtcNow(), "system", "close", CaseStatus.Resolved, CaseStatus.Closed, "回访满意"), closed);
    }

    [Theory]
    [InlineData(CaseStatus.Claimed)]
    [InlineData(CaseStatus.WaitingForWorker)]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    public void Claim_IsRefused_OutsideNewAndWaitingForOperator(CaseStatus status)
    {
        var c = InStatus(status);
        var historyBefore = c.History.Count;

        var refused = Assert.Throws<InvalidCaseTransitionException>(() => Machine.Apply(c, new ClaimTransition("operator-wang"), "operator-wang"));

        Assert.Equal("claim", refused.Transition);
        Assert.Equal(status, refused.From);
        Assert.Contains("cannot 'claim'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(status, c.Status);
        Assert.Equal(historyBefore, c.History.Count);
    }

    [Theory]
    [InlineData(CaseStatus.New, false)]
    [InlineData(CaseStatus.Claimed, true)]
    [InlineData(CaseStatus.WaitingForWorker, true)]
    [InlineData(CaseStatus.WaitingForOperator, true)]
    [InlineData(CaseStatus.Resolved, false)]
    [InlineData(CaseStatus.Closed, false)]
    public void Resolve_IsAllowed_OnlyFromClaimedOrWaiting(CaseStatus status, bool allowed)
    {
        var c = InStatus(status);

        Assert.Equal(allowed, CaseStateMachine.CanApply(c, new ResolveTransition("x")));
    }

    [Theory]
    [InlineData(CaseStatus.New, false)]
    [InlineData(CaseStatus.Claimed, false)]
    [InlineData(CaseStatus.WaitingForWorker, true)]
    [InlineData(CaseStatus.WaitingForOperator, false)]
    [InlineData(CaseStatus.Resolved, true)]
    [InlineData(CaseStatus.Closed, false)]
    public void Close_IsAllowed_OnlyFromResolvedOrWaitingForWorker(CaseStatus status, bool allowed)
    {
        Assert.Equal(allowed, CaseStateMachine.CanApply(InStatus(status), new CloseTransition()));
    }

    [Fact]
    public void Reopen_ReturnsAnAssignedCaseToWaitingForOperator_AndClearsTheResolution()
    {
        var c = InStatus(CaseStatus.Closed);

        var reopened = Machine.Apply(c, new ReopenTransition(), "system", "满意度 1 分");

        Assert.Equal(CaseStatus.WaitingForOperator, c.Status);
        Assert.Equal(CaseStatus.Closed, reopened.From);
        Assert.Null(c.Resolution);
        Assert.Equal("operator-li", c.Assignee);
        Assert.Contains(c.History, e => e.Action == "resolve");
    }

    [Fact]
    public void Reopen_ReturnsAnUnassignedCaseToNew()
    {
        // A case closed while it waited for the worker, never claimed by anyone: back to the whole queue.
        var c = Opened();
        var unassigned = new HotlineCase { Worker = c.Worker };
        Machine.Open(unassigned, "bot");
        unassigned.Status = CaseStatus.Resolved; // as an import of an old case might have it

        Machine.Apply(unassigned, new ReopenTransition(), "admin");

        Assert.Equal(CaseStatus.New, unassigned.Status);
    }

    [Theory]
    [InlineData(CaseStatus.New)]
    [InlineData(CaseStatus.Claimed)]
    [InlineData(CaseStatus.WaitingForWorker)]
    [InlineData(CaseStatus.WaitingForOperator)]
    public void Reopen_IsRefused_ForACaseThatIsStillBeingWorked(CaseStatus status)
    {
        Assert.Throws<InvalidCaseTransitionException>(() => Machine.Apply(InStatus(status), new ReopenTransition(), "system"));
    }

    [Fact]
    public void RevealCallbackPhone_GivesTheNumberToTheAssignee_AndRecordsIt()
    {
        var c = InStatus(CaseStatus.Claimed);

        var phone = Machine.RevealCallbackPhone(c, "operator-li");

        Assert.Equal("13812348000", phone);
        var reveal = c.History[^1];
        Assert.Equal(("reveal-phone", "operator-li", CaseStatus.Claimed, CaseStatus.Claimed), (reveal.Action, reveal.Actor, reveal.From!.Value, reveal.To));
    }

    [Fact]
    public void RevealCallbackPhone_IsRefused_ToAnyoneButTheAssignee()
    {
        var c = InStatus(CaseStatus.Claimed);
        var before = c.History.Count;

        Assert.Throws<UnauthorizedAccessException>(() => Machine.RevealCallbackPhone(c, "operator-wang"));
        Assert.Equal(before, c.History.Count);
        Assert.DoesNotContain("13812348000", c.Worker.ToString(), StringComparison.Ordinal);
    }

    private HotlineCase Opened()
    {
        var c = TestCases.Draft();
        Machine.Open(c, "bot");
        return c;
    }

    /// <summary>A case brought to <paramref name="status"/> through allowed transitions only.</summary>
    private HotlineCase InStatus(CaseStatus status)
    {
        var c = Opened();
        var steps = status switch
        {
            CaseStatus.New => [],
            CaseStatus.Claimed => [new ClaimTransition("operator-li")],
            CaseStatus.WaitingForWorker => [new ClaimTransition("operator-li"), new AskWorkerTransition()],
            CaseStatus.WaitingForOperator => [new ClaimTransition("operator-li"), new AskWorkerTransition(), new WorkerRepliedTransition()],
            CaseStatus.Resolved => [new ClaimTransition("operator-li"), new ResolveTransition("已答复")],
            CaseStatus.Closed => new CaseTransition[] { new ClaimTransition("operator-li"), new ResolveTransition("已答复"), new CloseTransition() },
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
        foreach (var step in steps)
        {
            Machine.Apply(c, step, "operator-li");
        }

        Assert.Equal(status, c.Status);
        return c;
    }
}
