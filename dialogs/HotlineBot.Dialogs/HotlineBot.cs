using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Dialogs;
using HotlineBot.BotFramework.Schema;
using HotlineBot.BotFramework.State;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Clarify;
using HotlineBot.Dialogs.Conversation;
using HotlineBot.Dialogs.Emergency;
using HotlineBot.Dialogs.Handoff;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Dialogs.TurnLogging;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.SmallTalk;
using HotlineBot.Knowledge.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineBot.Dialogs;

/// <summary>
/// The worker's conversation. A welcome when a worker joins; then every message is checked in this
/// order, before any dialog that is waiting continues: (1) emergency, before anything else (it ends
/// whatever was going on, a handoff included, and opens an urgent case); (2) 取消 / 算了 (ends it, and
/// says so; while the handoff asks, 跳过 / 不用 answer its question instead); (3) 我的工单 / 进度 (the
/// worker's cases, kind status; a waiting dialog keeps waiting); (4) a request for a person (begins
/// the <see cref="HandoffDialog"/>, as 没解决 on an answer and the fallback's 转人工 button do); (5)
/// while the handoff asks (what happened, a number, a window, yes or no), every other message is its
/// answer, a new policy question included (an invalid number is asked again); (6)
/// while did-you-mean waits, a message that is none of its choices but is a new question the
/// knowledge base answers, small talk, or a reply to an earlier answer's buttons (the choices are
/// dropped and the message handled as new). Then the waiting dialog continues, or a new message
/// goes to the buttons' replies, small talk and the knowledge base (answer, did-you-mean, fallback).
/// </summary>
/// <remarks>
/// Did-you-mean is a <see cref="ClarifyDialog"/> whose stack lives in <see cref="ConversationState"/>
/// (one storage key per conversation); the bot loads it on each message and saves it at the end of
/// the turn itself, so it needs no middleware and works under any adapter. One instance serves every
/// conversation: nothing per conversation is held outside the turn. Every reply carries
/// <c>channelData.hotline</c>, and every turn is recorded in the <see cref="ITurnLog"/>.
/// </remarks>
public sealed class HotlineBot : ActivityHandler
{
    /// <summary>The conversation-state property that holds the dialog stack.</summary>
    public const string DialogStateProperty = "dialogState";

    private readonly EmergencyDetector _emergencies;
    private readonly SmallTalkMatcher _smallTalk;
    private readonly IPolicySearch _search;
    private readonly HotlineReplies _replies;
    private readonly ITurnLog _turnLog;
    private readonly ConversationState _conversationState;
    private readonly IStatePropertyAccessor<DialogState> _dialogState;
    private readonly ClarifyDialog _clarify = new();
    private readonly DialogSet _dialogs;
    private readonly IUrgentCaseOpener? _urgentCases;
    private readonly ICaseService? _cases;
    private readonly HandoffDialog? _handoff;
    private readonly HotlineBotOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public HotlineBot(
        EmergencyDetector emergencies,
        SmallTalkMatcher smallTalk,
        IPolicySearch search,
        HotlineReplies replies,
        ITurnLog turnLog,
        ConversationState conversationState,
        IUrgentCaseOpener? urgentCases = null,
        IOptions<HotlineBotOptions>? options = null,
        ILogger<HotlineBot>? logger = null,
        TimeProvider? time = null,
        ICaseService? cases = null)
    {
        _emergencies = emergencies ?? throw new ArgumentNullException(nameof(emergencies));
        _smallTalk = smallTalk ?? throw new ArgumentNullException(nameof(smallTalk));
        _search = search ?? throw new ArgumentNullException(nameof(search));
        _replies = replies ?? throw new ArgumentNullException(nameof(replies));
        _turnLog = turnLog ?? throw new ArgumentNullException(nameof(turnLog));
        _conversationState = conversationState ?? throw new ArgumentNullException(nameof(conversationState));
        _dialogState = conversationState.CreateProperty<DialogState>(DialogStateProperty);
        _dialogs = new DialogSet(_dialogState).Add(_clarify);
        _urgentCases = urgentCases;
        _cases = cases;
        if (cases is not null)
        {
            _handoff = new HandoffDialog(cases, logger);
            _dialogs.Add(_handoff);
        }

        _options = options?.Value ?? new HotlineBotOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        await base.OnTurnAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await SaveStateAsync(turnContext, cancellationToken).ConfigureAwait(false);
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
            await RecordAsync(turnContext, new Outcome(welcome, "welcome"), welcome, string.Empty, member.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task OnMessageActivityAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var text = turnContext.Activity.Text?.Trim() ?? string.Empty;

        // What the dialogs send this turn, for the turn record.
        var sent = new List<Activity>();
        turnContext.OnSendActivities(async (_, activities, next) =>
        {
            sent.AddRange(activities.Where(a => a.Type == ActivityTypes.Message));
            return await next().ConfigureAwait(false);
        });

        var dc = await _dialogs.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var outcome = await DecideAsync(dc, text, cancellationToken).ConfigureAwait(false);
        if (outcome.Clarify is { } clarify)
        {
            await dc.BeginDialogAsync(_clarify.Id, clarify, cancellationToken).ConfigureAwait(false);
        }
        else if (outcome.Handoff is { } handoff && _handoff is not null)
        {
            await dc.BeginDialogAsync(_handoff.Id, handoff, cancellationToken).ConfigureAwait(false);
        }
        else if (outcome.Reply is { } reply)
        {
            await turnContext.SendActivityAsync(reply, cancellationToken).ConfigureAwait(false);
        }

        if (dc.Stack.Count == 0)
        {
            // No dialog waits: the conversation keeps no state, so a turn that began none writes nothing.
            await _dialogState.DeleteAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }

        var recorded = outcome.Reply ?? (sent.Count > 0 ? sent[^1] : null);
        if (recorded is null)
        {
            // A dialog that answered nothing must not leave the worker without a reply.
            _logger.LogError("No reply in conversation {ConversationId} ({Reason})", turnContext.Activity.Conversation?.Id, outcome.Reason);
            recorded = HotlineReplies.Fallback(FallbackReason.NoAnswer);
            await turnContext.SendActivityAsync(recorded, cancellationToken).ConfigureAwait(false);
        }

        await RecordAsync(turnContext, outcome, recorded, text, turnContext.Activity.From?.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome> DecideAsync(DialogContext dc, string text, CancellationToken cancellationToken)
    {
        var turnContext = dc.Context;
        if (dc.ActiveDialog is { } stale && dc.FindDialog(stale.Id) is null)
        {
            // State left by a dialog this version does not have: start afresh rather than fail every turn.
            _logger.LogWarning("Dropping unknown dialog {DialogId} in conversation {ConversationId}", stale.Id, turnContext.Activity.Conversation?.Id);
            await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
        }

        if (TextNormalizer.Normalize(text).Length == 0)
        {
            if (dc.ActiveDialog is not null)
            {
                // Nothing to read while a question waits (a picture, an emoji): the dialog asks again.
                return await ContinueDialogAsync(dc, text, cancellationToken).ConfigureAwait(false);
            }

            return NoWords(turnContext.Activity, text);
        }

        // 1. Danger before anything else, however the message is phrased; it ends whatever was going on.
        if (_emergencies.Detect(text) is { } emergency)
        {
            await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
            _logger.LogWarning("Emergency ({Categories}) in conversation {ConversationId}", emergency.Describe(), turnContext.Activity.Conversation?.Id);
            var caseId = await OpenUrgentCaseAsync(turnContext, emergency, cancellationToken).ConfigureAwait(false);
            return new Outcome(HotlineReplies.Emergency(emergency, caseId), "emergency:" + emergency.Describe()) { CaseId = caseId };
        }

        var inHandoff = _handoff is not null && dc.ActiveDialog?.Id == _handoff.Id;

        // While the handoff asks, 跳过 / 不用 answer its question (no number, no window, or no at the confirmation).
        if (inHandoff && HandoffDialog.IsSkip(text))
        {
            return await ContinueDialogAsync(dc, text, cancellationToken).ConfigureAwait(false);
        }

        // 2. 取消 / 算了: whatever was asked is called off.
        if (CancelRequest.IsRequest(text))
        {
            var cancelled = await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
            var hadDialog = cancelled.Status == DialogTurnStatus.Cancelled;
            if (inHandoff)
            {
                return new Outcome(HandoffDialog.Cancelled(), "handoff-cancelled");
            }

            return new Outcome(HotlineReplies.Cancelled(hadDialog), hadDialog ? "cancelled" : "cancel-nothing-waiting");
        }

        // 3. "我的工单" / "进度": the worker's cases; a waiting dialog stays waiting.
        if (_cases is not null && CaseStatusReplies.IsRequest(text))
        {
            return await StatusAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }

        // 4. Asking for a person.
        if (PersonRequest.IsRequest(text))
        {
            if (inHandoff)
            {
                // Already handing off: the question waiting is asked again.
                return await ContinueDialogAsync(dc, text, cancellationToken).ConfigureAwait(false);
            }

            await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
            if (_handoff is null)
            {
                return new Outcome(HotlineReplies.Fallback(FallbackReason.PersonRequested), "person-requested");
            }

            return new Outcome(null, "person-requested") { Handoff = new HandoffOptions(PersonRequest.Description(text)) };
        }

        // 5. While the handoff asks for what happened, a number, a window or a yes, every message answers it.
        if (inHandoff)
        {
            return await ContinueDialogAsync(dc, text, cancellationToken).ConfigureAwait(false);
        }

        if (dc.ActiveDialog is { } active)
        {
            // 4. Not one of the choices, but a new question the knowledge base answers, small talk,
            // or a reply to an earlier answer's buttons: the choices are dropped and the message is new.
            if (!await _clarify.IsChoiceAsync(turnContext, active, cancellationToken).ConfigureAwait(false))
            {
                var fresh = Fresh(turnContext.Activity, text);
                if (fresh.InterruptsDialog)
                {
                    _logger.LogInformation("Dialog {DialogId} in conversation {ConversationId} interrupted ({Reason})", active.Id, turnContext.Activity.Conversation?.Id, fresh.Reason);
                    await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
                    return fresh;
                }
            }

            return await ContinueDialogAsync(dc, text, cancellationToken).ConfigureAwait(false);
        }

        return Fresh(turnContext.Activity, text);
    }

    /// <summary>Continues the waiting dialog; what it ended with decides the reply.</summary>
    private async Task<Outcome> ContinueDialogAsync(DialogContext dc, string text, CancellationToken cancellationToken)
    {
        var result = await dc.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
        if (result.Status == DialogTurnStatus.Waiting)
        {
            // The prompt asked again (or the next question); the dialog's message is the reply.
            return new Outcome(null, dc.ActiveDialog?.Id == HandoffDialog.DefaultId ? "handoff-step" : "clarify-retry");
        }

        switch (result.Result)
        {
            case HandoffResult handoff:
                return new Outcome(null, handoff.CaseId is null ? "handoff-declined" : "handoff-opened") { CaseId = handoff.CaseId };
            case ClarifyResult { Outcome: ClarifyOutcome.Chosen, Chosen: { } chosen }:
                if (_search.Find(chosen.EntryId) is { } entry)
                {
                    return new Outcome(_replies.Answer(entry, chosen.Confidence), "clarify-choice") { EntryId = entry.Id, Confidence = chosen.Confidence };
                }

                // Retired or changed since the choices were offered: its question is asked afresh.
                return Search(chosen.Question);
            case ClarifyResult { Outcome: ClarifyOutcome.NoneOfThese }:
                return new Outcome(HotlineReplies.Fallback(FallbackReason.NoneOfThese), "feedback:" + Feedback.Name(FeedbackKind.NoneOfThese))
                {
                    Feedback = Feedback.Name(FeedbackKind.NoneOfThese),
                };
            default:
                // The prompt gave up asking (or nothing was waiting after all): the message is a new one.
                return TextNormalizer.Normalize(text).Length == 0 ? NoWords(dc.Context.Activity, text) : Fresh(dc.Context.Activity, text);
        }
    }

    /// <summary>A message with no words to read, with nothing waiting.</summary>
    private static Outcome NoWords(Activity activity, string text)
    {
        // Only emoji or punctuation ("😭😭😭") may be distress: a person is offered, not just a request for text.
        if (text.Length > 0)
        {
            return new Outcome(HotlineReplies.Fallback(FallbackReason.Unreadable), "no-words");
        }

        var hadAttachments = activity.Attachments is { Count: > 0 };
        return new Outcome(HotlineReplies.AskForText(hadAttachments), hadAttachments ? "attachments-only" : "no-text");
    }

    /// <summary>A message with nothing waiting: the buttons' replies, small talk, then the knowledge base. Decides only; changes nothing.</summary>
    private Outcome Fresh(Activity activity, string text)
    {
        // The buttons' replies.
        if (Feedback.Recognize(text) is { } feedback)
        {
            var entryId = Feedback.EntryIdOf(activity);
            if (feedback == FeedbackKind.NotSolved && _handoff is not null)
            {
                // 没解决 on an answer: a person takes it, with the question answered as what happened.
                var entry = entryId is null ? null : _search.Find(entryId);
                return new Outcome(null, "feedback:" + Feedback.Name(feedback))
                {
                    EntryId = entryId,
                    Feedback = Feedback.Name(feedback),
                    InterruptsDialog = true,
                    Handoff = new HandoffOptions(
                        entry is null ? null : $"问了“{entry.Question}”，机器人的回答没有解决问题",
                        entry is null ? null : _replies.AnswerText(entry),
                        "not-solved"),
                };
            }

            var reply = feedback == FeedbackKind.Helpful
                ? HotlineReplies.Thanks()
                : HotlineReplies.Fallback(feedback == FeedbackKind.NotSolved ? FallbackReason.NotSolved : FallbackReason.NoneOfThese);
            return new Outcome(reply, "feedback:" + Feedback.Name(feedback))
            {
                EntryId = entryId,
                Feedback = Feedback.Name(feedback),
                InterruptsDialog = feedback != FeedbackKind.NoneOfThese,
            };
        }

        // Small talk: strict whole-message matches only.
        if (_smallTalk.Match(text) is { } talk)
        {
            return new Outcome(HotlineReplies.SmallTalk(talk.Reply), "smalltalk:" + talk.Intent) { InterruptsDialog = true };
        }

        // The knowledge base.
        return Search(text);
    }

    private Outcome Search(string text)
    {
        var result = _search.Search(text);
        if (result.Band == SearchBand.Answer)
        {
            var top = result.Candidates[0];
            return new Outcome(_replies.Answer(top.Entry, top.Confidence), result.Reason)
            {
                EntryId = top.Entry.Id,
                Confidence = top.Confidence,
                InterruptsDialog = true,
            };
        }

        // A did-you-mean button pressed when no choice waits (a fresh conversation, or an old message)
        // sends its entry's question: that text is the entry's, whatever the band says.
        var key = Key(text);
        if (result.Candidates.FirstOrDefault(c => Key(c.Entry.Question) == key) is { } chosen)
        {
            return new Outcome(_replies.Answer(chosen.Entry, chosen.Confidence), "question-text")
            {
                EntryId = chosen.Entry.Id,
                Confidence = chosen.Confidence,
                InterruptsDialog = true,
            };
        }

        if (result.Band == SearchBand.Clarify && result.Candidates.Count > 0)
        {
            var candidates = result.Candidates
                .DistinctBy(c => c.Entry.Id)
                .DistinctBy(c => c.Entry.Question, StringComparer.Ordinal)
                .Take(HotlineReplies.MaxChoices)
                .Select(c => new ClarifyCandidate(c.Entry.Id, c.Entry.Question, Math.Round(c.Confidence, 3)))
                .ToList();
            return new Outcome(null, result.Reason) { Confidence = result.Confidence, Clarify = new ClarifyOptions(candidates, result.Confidence) };
        }

        return new Outcome(HotlineReplies.Fallback(FallbackReason.NoAnswer, result.Confidence), result.Reason) { Confidence = result.Confidence };
    }

    /// <summary>Saves the conversation's dialog stack, if it changed. A lost race is logged: the worker already has the reply.</summary>
    private async Task SaveStateAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        try
        {
            await _conversationState.SaveChangesAsync(turnContext, false, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConcurrencyException e)
        {
            // Two turns of one conversation at once (a double send): the other turn's state stands.
            _logger.LogWarning(e, "Conversation {ConversationId} changed during the turn; its dialog state from this turn was not saved",
                turnContext.Activity.Conversation?.Id);
        }
    }

    private async Task<Outcome> StatusAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        try
        {
            var cases = await _cases!.ListForConversationAsync(activity.ChannelId ?? string.Empty, activity.Conversation?.Id ?? string.Empty, cancellationToken)
                .ConfigureAwait(false);
            return new Outcome(CaseStatusReplies.Status(cases), "status");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Listing the cases of conversation {ConversationId} failed", activity.Conversation?.Id);
            return new Outcome(HotlineReplies.Create(new HotlineMetadata(ReplyKinds.Status), $"抱歉，暂时查不到工单进度，请稍后再试，或拨打{HotlineReplies.HotlineNumber}职工服务热线。"), "status-failed");
        }
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

    private async Task RecordAsync(ITurnContext turnContext, Outcome outcome, Activity reply, string text, string? userId, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var record = new TurnRecord(
            _time.GetUtcNow(),
            activity.Conversation?.Id ?? string.Empty,
            PersonalDataMasker.HashUserId(activity.ChannelId, userId),
            PersonalData.Mask(text),
            reply.GetHotlineMetadata()?.Kind ?? string.Empty)
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

    /// <summary>
    /// What a turn decided: the reply (null when a dialog sends it), or the did-you-mean to begin,
    /// and what the turn record says about it.
    /// </summary>
    private sealed record Outcome(Activity? Reply, string Reason)
    {
        /// <summary>Begin the clarify dialog with these choices (it sends the prompt).</summary>
        public ClarifyOptions? Clarify { get; init; }

        /// <summary>Begin the handoff dialog with these options (it sends its questions).</summary>
        public HandoffOptions? Handoff { get; init; }

        /// <summary>While did-you-mean waits, this message is a new one: the choices are dropped.</summary>
        public bool InterruptsDialog { get; init; }

        public string? EntryId { get; init; }

        public double? Confidence { get; init; }

        public string? Feedback { get; init; }

        public string? CaseId { get; init; }
    }
}
