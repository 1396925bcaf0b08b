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
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotlineBot.Dialogs;

/// <summary>
/// The worker's conversation. A welcome when a worker joins; then every message is checked in this
/// order, before any dialog that is waiting continues: (1) emergency, before anything else (it ends
/// whatever was going on, a handoff included, opens an urgent case and offers a callback for it);
/// (1a) while an operator holds one of the conversation's cases, every other message is relayed to
/// that operator (the bot says so once, then keeps quiet; waiting dialogs end), and a picture or file
/// goes onto that case first; a picture or file with no words goes onto the conversation's newest open
/// case, if it has one (a waiting dialog keeps waiting); (1b) while a
/// resolved case's satisfaction question waits, a message that is a score rates it; (2) 取消 / 算了 (ends it, and
/// says so; while the handoff asks, 跳过 / 不用 answer its question instead); (3) 我的工单 / 进度 (the
/// worker's cases, kind status; a waiting dialog keeps waiting); (4) a request for a person (begins
/// the <see cref="HandoffDialog"/>, as 没解决 on an answer and the fallback's 转人工 button do); (5)
/// while the handoff asks (what happened, a number, a window, yes or no), every other message is its
/// answer, a new policy question included (an invalid number is asked again); (6)
/// while did-you-mean waits, a message that is none of its choices but is a new question the
/// knowledge base answers, small talk, or a reply to an earlier answer's buttons (the choices are
/// dropped and the message handled as new). Then the waiting dialog continues, or a new message
/// goes to the buttons' replies, small talk and the knowledge base (answer, did-you-mean, fallback).
/// When a case opens (the handoff's confirmation, an emergency's urgent case) a <c>handoff.initiate</c>
/// event follows the reply (<see cref="HandoffEvents"/>).
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

    /// <summary>The conversation-state property that remembers the urgent case an emergency opened, for its callback button.</summary>
    public const string UrgentCaseProperty = "urgentCaseId";

    private readonly EmergencyDetector _emergencies;
    private readonly SmallTalkMatcher _smallTalk;
    private readonly IPolicySearch _search;
    private readonly HotlineReplies _replies;
    private readonly ITurnLog _turnLog;
    private readonly ConversationState _conversationState;
    private readonly IStatePropertyAccessor<DialogState> _dialogState;
    /// <summary>How many of the conversation's recent activities the handoff event carries.</summary>
    private const int HandoffTranscriptLength = 40;

    private readonly IStatePropertyAccessor<string> _urgentCase;
    private readonly ITranscriptStore? _transcripts;
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
        ICaseService? cases = null,
        ITranscriptStore? transcripts = null)
    {
        _emergencies = emergencies ?? throw new ArgumentNullException(nameof(emergencies));
        _smallTalk = smallTalk ?? throw new ArgumentNullException(nameof(smallTalk));
        _search = search ?? throw new ArgumentNullException(nameof(search));
        _replies = replies ?? throw new ArgumentNullException(nameof(replies));
        _turnLog = turnLog ?? throw new ArgumentNullException(nameof(turnLog));
        _conversationState = conversationState ?? throw new ArgumentNullException(nameof(conversationState));
        _dialogState = conversationState.CreateProperty<DialogState>(DialogStateProperty);
        _urgentCase = conversationState.CreateProperty<string>(UrgentCaseProperty);
        _transcripts = transcripts;
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

        // The one read of the conversation's cases, begun at once: an emergency reply waits for it only briefly.
        var cases = ReadCasesAsync(turnContext.Activity, cancellationToken);

        // What the dialogs send this turn, for the turn record and the handoff transcript.
        var sent = new List<Activity>();
        turnContext.OnSendActivities(async (_, activities, next) =>
        {
            sent.AddRange(activities.Where(a => a.Type == ActivityTypes.Message));
            return await next().ConfigureAwait(false);
        });

        var dc = await _dialogs.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var outcome = await DecideAsync(dc, text, cases, cancellationToken).ConfigureAwait(false);
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
            // No dialog waits: the stack is dropped, so a turn that began none writes nothing (an emergency's case id aside).
            await _dialogState.DeleteAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }

        var recorded = outcome.Reply ?? (sent.Count > 0 ? sent[^1] : null);
        if (recorded is null && !outcome.Relayed)
        {
            // A dialog that answered nothing must not leave the worker without a reply.
            _logger.LogError("No reply in conversation {ConversationId} ({Reason})", turnContext.Activity.Conversation?.Id, outcome.Reason);
            recorded = HotlineReplies.Fallback(FallbackReason.NoAnswer);
            await turnContext.SendActivityAsync(recorded, cancellationToken).ConfigureAwait(false);
        }

        if (outcome.RelayAfterReply is { } held)
        {
            // An emergency while an operator holds a case: the numbers went first, now the operator sees it too.
            await RelayAsync(turnContext, held, text, sendReplyNow: true, cancellationToken).ConfigureAwait(false);
        }

        if (outcome.Opened is { } opened)
        {
            await SendHandoffEventAsync(turnContext, opened, sent, cancellationToken).ConfigureAwait(false);
        }

        await RecordAsync(turnContext, outcome, recorded, text, turnContext.Activity.From?.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome> DecideAsync(DialogContext dc, string text, Task<ConversationCases> cases, CancellationToken cancellationToken)
    {
        var turnContext = dc.Context;
        if (dc.ActiveDialog is { } stale && dc.FindDialog(stale.Id) is null)
        {
            // State left by a dialog this version does not have: start afresh rather than fail every turn.
            _logger.LogWarning("Dropping unknown dialog {DialogId} in conversation {ConversationId}", stale.Id, turnContext.Activity.Conversation?.Id);
            await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
        }

        var hasWords = TextNormalizer.Normalize(text).Length > 0;

        // 1. Danger before anything else, however the message is phrased; it ends whatever was going on.
        if (hasWords && _emergencies.Detect(text) is { } emergency)
        {
            return await EmergencyAsync(dc, emergency, cases, cancellationToken).ConfigureAwait(false);
        }

        var conversation = await cases.ConfigureAwait(false);

        // 1a. An operator holds a case: the worker is talking to that person now, not to the bot.
        if (conversation.Held is { } held)
        {
            // Whatever the bot was asking is stale by the time the operator is done: it ends.
            await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);

            // A picture or file goes onto the case before anything else, so the operator sees it there.
            var attachable = WorkerAttachments.Attachable(turnContext.Activity);
            var attached = attachable.Count > 0 && await AttachAsync(turnContext.Activity, held.CaseId, attachable, cancellationToken).ConfigureAwait(false);
            if (text.Length == 0)
            {
                return attached
                    ? new Outcome(LiveCaseReplies.Attached(held.CaseId, WorkerAttachments.AreImages(attachable)), "attachment-added") { CaseId = held.CaseId }
                    : new Outcome(LiveCaseReplies.TextOnly(held.CaseId), "relay-no-text") { CaseId = held.CaseId };
            }

            // 我的工单 is a question to the service, not to the operator: the worker may check where the case stands.
            if (_cases is not null && CaseStatusReplies.IsRequest(text))
            {
                return await StatusAsync(turnContext, cancellationToken).ConfigureAwait(false);
            }

            return await RelayAsync(turnContext, held, text, sendReplyNow: false, cancellationToken).ConfigureAwait(false);
        }

        if (!hasWords)
        {
            // A picture for the case the worker already has: it goes there, and a waiting dialog keeps waiting.
            if (await AttachToOpenCaseAsync(turnContext.Activity, cancellationToken).ConfigureAwait(false) is { } attachedOutcome)
            {
                return attachedOutcome;
            }

            if (dc.ActiveDialog is not null)
            {
                // Nothing to read while a question waits (a picture, an emoji): the dialog asks again.
                return await ContinueDialogAsync(dc, text, cancellationToken).ConfigureAwait(false);
            }

            return NoWords(turnContext.Activity, text);
        }

        // 1b. The answer to the satisfaction question; anything else is an ordinary message and the question stays open.
        // A dialog that waits for an answer keeps its numbers (a window, a did-you-mean choice): they are not scores.
        if (conversation.SurveyCaseId is { } surveyed && dc.ActiveDialog is null && SurveyScore.Parse(text) is { } score)
        {
            return await SurveyAsync(turnContext, surveyed, score, cancellationToken).ConfigureAwait(false);
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
            var callbackFor = inHandoff ? HandoffDialog.ExistingCaseIdOf(dc.ActiveDialog) : null;
            var cancelled = await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
            var hadDialog = cancelled.Status == DialogTurnStatus.Cancelled;
            if (inHandoff)
            {
                return new Outcome(HandoffDialog.Cancelled(callbackFor), "handoff-cancelled");
            }

            return new Outcome(HotlineReplies.Cancelled(hadDialog), hadDialog ? "cancelled" : "cancel-nothing-waiting");
        }

        // 3. "我的工单" / "进度": the worker's cases; a waiting dialog stays waiting.
        if (_cases is not null && CaseStatusReplies.IsRequest(text))
        {
            return await StatusAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }

        // 4. The emergency reply's 请工作人员回电: the number and window go to its urgent case.
        var callbackRequest = CallbackRequest.IsRequest(text);
        if (callbackRequest && !inHandoff && _handoff is not null
            && await _urgentCase.GetAsync(turnContext, null, cancellationToken).ConfigureAwait(false) is { Length: > 0 } urgentCaseId)
        {
            // Offered once: a later press (an old button in the chat) is an ordinary request for a person.
            await _urgentCase.DeleteAsync(turnContext, cancellationToken).ConfigureAwait(false);
            if (await IsOpenAsync(turnContext.Activity, urgentCaseId, cancellationToken).ConfigureAwait(false))
            {
                await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
                return new Outcome(null, "callback-requested") { Handoff = HandoffOptions.CallbackFor(urgentCaseId) };
            }
        }

        // Asking for a person (a callback with no urgent case to attach it to is one too).
        if (PersonRequest.IsRequest(text) || callbackRequest)
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

            return new Outcome(null, "person-requested") { Handoff = new HandoffOptions(callbackRequest ? null : PersonRequest.Description(text)) };
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
                var reason = handoff.CaseId is null ? "handoff-declined" : handoff.Opened is null ? "callback-set" : "handoff-opened";
                return new Outcome(null, reason) { CaseId = handoff.CaseId, Opened = handoff.Opened };
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

        // 有答案时告诉我: the host links the request to the conversation's last unanswered question.
        if (AnswerRequest.IsRequest(text))
        {
            return new Outcome(HotlineReplies.AnswerRequested(), AnswerRequest.Reason) { InterruptsDialog = true };
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

    /// <summary>
    /// The emergency reply: it ends whatever was going on and opens an urgent case; with a case service,
    /// it offers a callback for that case (remembered in conversation state) unless an operator already
    /// holds one of the conversation's cases, in which case the message is also relayed to that operator.
    /// </summary>
    private async Task<Outcome> EmergencyAsync(DialogContext dc, EmergencyMatch emergency, Task<ConversationCases> cases, CancellationToken cancellationToken)
    {
        var turnContext = dc.Context;
        await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogWarning("Emergency ({Categories}) in conversation {ConversationId}", emergency.Describe(), turnContext.Activity.Conversation?.Id);
        var opening = OpenUrgentCaseAsync(turnContext, emergency, cancellationToken);
        var conversation = await WithinUrgentTimeoutAsync(turnContext, cases, cancellationToken).ConfigureAwait(false);
        var caseId = await opening.ConfigureAwait(false);

        // While an operator holds a case the worker's replies go to that person, so a button the bot would answer is not offered.
        var offerCallback = caseId is not null && _handoff is not null && conversation.Held is null;
        if (offerCallback)
        {
            await _urgentCase.SetAsync(turnContext, caseId!, cancellationToken).ConfigureAwait(false);
        }

        return new Outcome(HotlineReplies.Emergency(emergency, caseId, offerCallback), "emergency:" + emergency.Describe())
        {
            CaseId = caseId,
            Opened = caseId is null ? null : new HandoffContext(caseId, CasePriority.Urgent, CaseCategory.Assistance, "emergency"),
            RelayAfterReply = conversation.Held,
        };
    }

    /// <summary>
    /// Hands the worker's message to the operator who holds the case. The reply says once who has it and
    /// is otherwise null; with <paramref name="sendReplyNow"/> (after an emergency reply, which is the
    /// turn's own) any reply is sent here instead of by the turn.
    /// </summary>
    private async Task<Outcome> RelayAsync(ITurnContext turnContext, HeldCase held, string text, bool sendReplyNow, CancellationToken cancellationToken)
    {
        RelayOutcome relayed;
        try
        {
            relayed = await _cases!.RelayToOperatorAsync(held.CaseId, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Relaying a message of conversation {ConversationId} to case {CaseId} failed", turnContext.Activity.Conversation?.Id, held.CaseId);
            var failed = LiveCaseReplies.RelayFailed(held.CaseId);
            if (sendReplyNow)
            {
                await turnContext.SendActivityAsync(failed, cancellationToken).ConfigureAwait(false);
            }

            return new Outcome(failed, "relay-failed") { CaseId = held.CaseId };
        }

        if (!relayed.Announce)
        {
            // The operator is talking with the worker: the bot stays out of it.
            return new Outcome(null, "relayed") { CaseId = held.CaseId, Relayed = true };
        }

        var announcement = LiveCaseReplies.Relaying(held.CaseId, string.IsNullOrWhiteSpace(relayed.OperatorName) ? held.OperatorName : relayed.OperatorName);
        if (sendReplyNow)
        {
            await turnContext.SendActivityAsync(announcement, cancellationToken).ConfigureAwait(false);
        }

        return new Outcome(announcement, "relayed-announced") { CaseId = held.CaseId };
    }

    /// <summary>
    /// The message's pictures and files onto the conversation's newest open case (not resolved or closed),
    /// with the reply that says so; null when there is nothing to attach, no such case, or it did not work.
    /// </summary>
    private async Task<Outcome?> AttachToOpenCaseAsync(Activity activity, CancellationToken cancellationToken)
    {
        var attachable = WorkerAttachments.Attachable(activity);
        if (_cases is null || attachable.Count == 0)
        {
            return null;
        }

        string? caseId;
        try
        {
            var cases = await _cases.ListForConversationAsync(activity.ChannelId ?? string.Empty, activity.Conversation?.Id ?? string.Empty, cancellationToken)
                .ConfigureAwait(false);
            caseId = cases.OrderByDescending(c => c.CreatedAt).FirstOrDefault(c => c.Status is not (CaseStatus.Resolved or CaseStatus.Closed))?.CaseId;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Listing the cases of conversation {ConversationId} failed; the attachment is not kept", activity.Conversation?.Id);
            return null;
        }

        return caseId is not null && await AttachAsync(activity, caseId, attachable, cancellationToken).ConfigureAwait(false)
            ? new Outcome(LiveCaseReplies.Attached(caseId, WorkerAttachments.AreImages(attachable)), "attachment-added") { CaseId = caseId }
            : null;
    }

    /// <summary>Adds the attachments to the case; true when the case keeps them all, false when it is no longer open or the store failed.</summary>
    private async Task<bool> AttachAsync(Activity activity, string caseId, IReadOnlyList<Attachment> attachments, CancellationToken cancellationToken)
    {
        try
        {
            var kept = true;
            foreach (var attachment in attachments)
            {
                kept &= await _cases!.AttachAsync(caseId, attachment.Name ?? string.Empty, attachment.ContentType!, attachment.ContentUrl!, cancellationToken)
                    .ConfigureAwait(false);
            }

            return kept;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Attaching a file of conversation {ConversationId} to case {CaseId} failed", activity.Conversation?.Id, caseId);
            return false;
        }
    }

    private async Task<Outcome> SurveyAsync(ITurnContext turnContext, string caseId, int score, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await _cases!.RecordSurveyAsync(caseId, score, cancellationToken).ConfigureAwait(false);
            return new Outcome(LiveCaseReplies.SurveyThanks(caseId, outcome), outcome.Reopened ? "survey-reopened" : "survey-closed") { CaseId = caseId };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Recording the survey score of case {CaseId} from conversation {ConversationId} failed", caseId, turnContext.Activity.Conversation?.Id);
            return new Outcome(LiveCaseReplies.SurveyFailed(caseId), "survey-failed") { CaseId = caseId };
        }
    }

    /// <summary>Whether the case is still open (a callback for a closed one would be lost); assumed so when the cases cannot be read.</summary>
    private async Task<bool> IsOpenAsync(Activity activity, string caseId, CancellationToken cancellationToken)
    {
        try
        {
            var cases = await _cases!.ListForConversationAsync(activity.ChannelId ?? string.Empty, activity.Conversation?.Id ?? string.Empty, cancellationToken)
                .ConfigureAwait(false);
            return cases.Any(c => c.CaseId == caseId && CaseStatuses.IsOpen(c.Status));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Listing the cases of conversation {ConversationId} failed; offering the callback for case {CaseId} anyway", activity.Conversation?.Id, caseId);
            return true;
        }
    }

    /// <summary>The conversation's held and surveyed cases; none when there is no case service or it cannot be read.</summary>
    private async Task<ConversationCases> ReadCasesAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (_cases is null)
        {
            return ConversationCases.None;
        }

        try
        {
            return await _cases.GetConversationCasesAsync(activity.ChannelId ?? string.Empty, activity.Conversation?.Id ?? string.Empty, cancellationToken)
                .ConfigureAwait(false) ?? ConversationCases.None;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The worker still gets an answer from the bot; the operator misses this one message.
            _logger.LogError(e, "Reading the cases of conversation {ConversationId} failed; handling the message as an ordinary one", activity.Conversation?.Id);
            return ConversationCases.None;
        }
    }

    /// <summary>The cases read, but the emergency numbers never wait on a store longer than the urgent-case timeout.</summary>
    private async Task<ConversationCases> WithinUrgentTimeoutAsync(ITurnContext turnContext, Task<ConversationCases> cases, CancellationToken cancellationToken)
    {
        try
        {
            return await cases.WaitAsync(_options.UrgentCaseTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Cases of conversation {ConversationId} not read within {Timeout}; the emergency reply goes without them",
                turnContext.Activity.Conversation?.Id, _options.UrgentCaseTimeout);
            return ConversationCases.None;
        }
    }

    /// <summary>
    /// The <c>handoff.initiate</c> event after the reply that told the worker the case number. Its transcript
    /// is the conversation's recent activities from the transcript store (this turn's included), or, without
    /// one, what this turn knows: the worker's message and the bot's replies to it.
    /// </summary>
    private async Task SendHandoffEventAsync(ITurnContext turnContext, HandoffContext opened, IReadOnlyList<Activity> sent, CancellationToken cancellationToken)
    {
        try
        {
            var activity = turnContext.Activity;
            IReadOnlyList<Activity> transcript = _transcripts is not null && activity.ChannelId is { } channelId && activity.Conversation?.Id is { } conversationId
                ? await _transcripts.GetTranscriptActivitiesAsync(channelId, conversationId, HandoffTranscriptLength, cancellationToken).ConfigureAwait(false)
                : [activity, .. sent];
            var handoff = HandoffEvents.CreateInitiation(activity, opened, transcript);
            await turnContext.SendActivityAsync(handoff, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The case is open and the worker has its number; only an external hub misses the notice.
            _logger.LogWarning(e, "Sending handoff.initiate for case {CaseId} failed", opened.CaseId);
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

    private async Task RecordAsync(ITurnContext turnContext, Outcome outcome, Activity? reply, string text, string? userId, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var record = new TurnRecord(
            _time.GetUtcNow(),
            activity.Conversation?.Id ?? string.Empty,
            PersonalDataMasker.HashUserId(activity.ChannelId, userId),
            PersonalData.Mask(text),
            reply?.GetHotlineMetadata()?.Kind ?? string.Empty)
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

        /// <summary>A case opened this turn: <c>handoff.initiate</c> follows the reply.</summary>
        public HandoffContext? Opened { get; init; }

        /// <summary>The message went to an operator and the bot rightly says nothing.</summary>
        public bool Relayed { get; init; }

        /// <summary>After the (emergency) reply, the message goes to the operator holding this case too.</summary>
        public HeldCase? RelayAfterReply { get; init; }
    }
}
