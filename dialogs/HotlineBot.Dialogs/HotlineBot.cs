using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.SmallTalk;
using HotlineBot.Knowledge.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotlineBot.Dialogs;

/// <summary>
/// The worker's conversation. A welcome when a worker joins; then every message is checked in this
/// order: (1) emergency, before anything else; (2) the buttons' replies (有帮助, 没解决, 都不是) and
/// requests for a person; (3) small talk; (4) the knowledge base (answer, did-you-mean, or fallback).
/// Stateless between turns, so one instance serves every conversation. Every reply carries
/// <c>channelData.hotline</c>, and every turn is recorded in the <see cref="ITurnLog"/>.
/// </summary>
public sealed class HotlineBot : ActivityHandler
{
    private readonly EmergencyDetector _emergencies;
    private readonly SmallTalkMatcher _smallTalk;
    private readonly IPolicySearch _search;
    private readonly HotlineReplies _replies;
    private readonly ITurnLog _turnLog;
    private readonly IUrgentCaseOpener? _urgentCases;
    private readonly HotlineBotOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public HotlineBot(
        EmergencyDetector emergencies,
        SmallTalkMatcher smallTalk,
        IPolicySearch search,
        HotlineReplies replies,
        ITurnLog turnLog,
        IUrgentCaseOpener? urgentCases = null,
        IOptions<HotlineBotOptions>? options = null,
        ILogger<HotlineBot>? logger = null,
        TimeProvider? time = null)
    {
        _emergencies = emergencies ?? throw new ArgumentNullException(nameof(emergencies));
        _smallTalk = smallTalk ?? throw new ArgumentNullException(nameof(smallTalk));
        _search = search ?? throw new ArgumentNullException(nameof(search));
        _replies = replies ?? throw new ArgumentNullException(nameof(replies));
        _turnLog = turnLog ?? throw new ArgumentNullException(nameof(turnLog));
        _urgentCases = urgentCases;
        _options = options?.Value ?? new HotlineBotOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    protected override async Task OnMembersAddedAsync(IReadOnlyList<ChannelAccount> membersAdded, ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(membersAdded);
        ArgumentNullException.ThrowIfNull(turnContext);
        foreach (var member in membersAdded.DistinctBy(m => m.Id))
        {
            var welcome = HotlineReplies.Welcome();
            welcome.Recipient = member;
            await turnContext.SendActivityAsync(welcome, cancellationToken).ConfigureAwait(false);
            await RecordAsync(turnContext, new Outcome(welcome, "welcome"), string.Empty, member.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var text = turnContext.Activity.Text?.Trim() ?? string.Empty;
        var outcome = await DecideAsync(turnContext, text, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(outcome.Reply, cancellationToken).ConfigureAwait(false);
        await RecordAsync(turnContext, outcome, text, turnContext.Activity.From?.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome> DecideAsync(ITurnContext turnContext, string text, CancellationToken cancellationToken)
    {
        if (TextNormalizer.Normalize(text).Length == 0)
        {
            // Only emoji or punctuation ("😭😭😭") may be distress: a person is offered, not just a request for text.
            if (text.Length > 0)
            {
                return new Outcome(HotlineReplies.Fallback(FallbackReason.Unreadable), "no-words");
            }

            var hadAttachments = turnContext.Activity.Attachments is { Count: > 0 };
            return new Outcome(HotlineReplies.AskForText(hadAttachments), hadAttachments ? "attachments-only" : "no-text");
        }

        // 1. Danger before anything else, however the message is phrased.
        if (_emergencies.Detect(text) is { } emergency)
        {
            _logger.LogWarning("Emergency ({Categories}) in conversation {ConversationId}", emergency.Describe(), turnContext.Activity.Conversation?.Id);
            var caseId = await OpenUrgentCaseAsync(turnContext, emergency, cancellationToken).ConfigureAwait(false);
            return new Outcome(HotlineReplies.Emergency(emergency, caseId), "emergency:" + emergency.Describe()) { CaseId = caseId };
        }

        // 2. The buttons' replies, and asking for a person.
        if (Feedback.Recognize(text) is { } feedback)
        {
            var reply = feedback == FeedbackKind.Helpful
                ? HotlineReplies.Thanks()
                : HotlineReplies.Fallback(feedback == FeedbackKind.NotSolved ? FallbackReason.NotSolved : FallbackReason.NoneOfThese);
            return new Outcome(reply, "feedback:" + Feedback.Name(feedback))
            {
                EntryId = Feedback.EntryIdOf(turnContext.Activity),
                Feedback = Feedback.Name(feedback),
            };
        }

        if (PersonRequest.IsRequest(text))
        {
            return new Outcome(HotlineReplies.Fallback(FallbackReason.PersonRequested), "person-requested");
        }

        // 3. Small talk: strict whole-message matches only.
        if (_smallTalk.Match(text) is { } talk)
        {
            return new Outcome(HotlineReplies.SmallTalk(talk.Reply), "smalltalk:" + talk.Intent);
        }

        // 4. The knowledge base.
        return Search(text);
    }

    private Outcome Search(string text)
    {
        var result = _search.Search(text);
        if (result.Band == SearchBand.Answer)
        {
            var top = result.Candidates[0];
            return new Outcome(_replies.Answer(top.Entry, top.Confidence), result.Reason) { EntryId = top.Entry.Id, Confidence = top.Confidence };
        }

        // A did-you-mean button sends its entry's question: that text is the entry's, whatever the band says.
        var key = Key(text);
        if (result.Candidates.FirstOrDefault(c => Key(c.Entry.Question) == key) is { } chosen)
        {
            return new Outcome(_replies.Answer(chosen.Entry, chosen.Confidence), "question-text") { EntryId = chosen.Entry.Id, Confidence = chosen.Confidence };
        }

        if (result.Band == SearchBand.Clarify && result.Candidates.Count > 0)
        {
            var choices = result.Candidates.Take(HotlineReplies.MaxChoices).Select(c => c.Entry).ToList();
            return new Outcome(HotlineReplies.Clarify(choices, result.Confidence), result.Reason) { Confidence = result.Confidence };
        }

        return new Outcome(HotlineReplies.Fallback(FallbackReason.NoAnswer, result.Confidence), result.Reason) { Confidence = result.Confidence };
    }

    private async Task<string?> OpenUrgentCaseAsync(ITurnContext turnContext, EmergencyMatch emergency, CancellationToken cancellationToken)
    {
        if (_urgentCases is null)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.UrgentCaseTimeout);
        try
        {
            // WaitAsync: an opener that ignores its token still cannot hold the numbers back.
            return await _urgentCases.OpenUrgentAsync(turnContext, emergency.Primary.Name, timeout.Token)
                .WaitAsync(_options.UrgentCaseTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or TimeoutException)
        {
            _logger.LogWarning("Urgent case for conversation {ConversationId} not opened within {Timeout}; replying without a case id",
                turnContext.Activity.Conversation?.Id, _options.UrgentCaseTimeout);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Opening an urgent case for conversation {ConversationId} failed; replying without a case id", turnContext.Activity.Conversation?.Id);
            return null;
        }
    }

    private async Task RecordAsync(ITurnContext turnContext, Outcome outcome, string text, string? userId, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var record = new TurnRecord(
            _time.GetUtcNow(),
            activity.Conversation?.Id ?? string.Empty,
            PersonalDataMasker.HashUserId(activity.ChannelId, userId),
            PersonalDataMasker.Mask(text),
            outcome.Reply.GetHotlineMetadata()?.Kind ?? string.Empty)
        {
            EntryId = outcome.EntryId,
            Confidence = outcome.Confidence is { } c ? Math.Round(c, 3) : null,
            Reason = outcome.Reason,
            Feedback = outcome.Feedback,
            CaseId = outcome.CaseId,
            ChannelId = activity.ChannelId,
        };
        try
        {
            await _turnLog.RecordAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The worker already has the reply; a lost record must not turn into an error for them.
            _logger.LogError(e, "Recording a turn of conversation {ConversationId} failed", record.ConversationId);
        }
    }

    private static string Key(string text) => TextNormalizer.Normalize(text).Replace(" ", string.Empty, StringComparison.Ordinal);

    /// <summary>What a turn decided: the reply and what the turn record says about it.</summary>
    private sealed record Outcome(Activity Reply, string Reason)
    {
        public string? EntryId { get; init; }

        public double? Confidence { get; init; }

        public string? Feedback { get; init; }

        public string? CaseId { get; init; }
    }
}
