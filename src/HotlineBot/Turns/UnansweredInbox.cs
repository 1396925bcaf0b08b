using HotlineBot.BotFramework.Builder;
using HotlineBot.Cases;
using HotlineBot.Dialogs.Replies;
using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Unanswered;

namespace HotlineBot.Turns;

/// <summary>What a notify did: answers sent, sends that failed, and workers who had this answer already.</summary>
public sealed record NotifyOutcome(int Sent, int Failed, int AlreadySent);

/// <summary>
/// The admins' unanswered inbox over the turn records: the questions the bot could not answer in the
/// last days, grouped by similar wording, without those resolved since they were asked; resolving a
/// group to an entry; and sending an entry's answer to the group's workers who asked for it, through
/// their stored conversation references, each worker once per entry. Notifies run one at a time, so
/// two presses at once cannot send anyone the answer twice.
/// </summary>
public sealed partial class UnansweredInbox(
    ITurnRecords turns,
    IUnansweredStore store,
    UnansweredGrouper grouper,
    IPolicySearch search,
    HotlineReplies replies,
    ConversationReferences references,
    BotAdapter adapter,
    TimeProvider time,
    ILogger<UnansweredInbox> logger) : IDisposable
{
    public const int DefaultDays = 30;

    public const int MaxDays = 366;

    private readonly SemaphoreSlim _notifying = new(1, 1);

    /// <summary>The groups of the questions left unanswered in the last <paramref name="days"/> days and not resolved since.</summary>
    public async Task<IReadOnlyList<UnansweredGroup>> ListAsync(int days, CancellationToken cancellationToken) =>
        (await ReadAsync(days, includeResolved: false, cancellationToken).ConfigureAwait(false)).Groups;

    /// <summary>Resolves the group's questions to the entry; how many questions left the inbox, or null for an unknown group.</summary>
    public async Task<int?> ResolveAsync(string groupId, string entryId, string resolvedBy, int days, CancellationToken cancellationToken)
    {
        var inbox = await ReadAsync(days, includeResolved: false, cancellationToken).ConfigureAwait(false);
        if (inbox.Find(groupId) is not { } group)
        {
            return null;
        }

        var keys = group.Questions.Select(q => UnansweredGrouper.Key(q.Text)).ToList();
        await store.ResolveAsync(keys, entryId, resolvedBy, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        LogResolved(logger, groupId, group.Count, entryId, resolvedBy);
        return group.Count;
    }

    /// <summary>
    /// Sends the entry's answer to the group's workers who asked for it (a group already resolved
    /// still counts); null for an unknown group. A failed send is counted and logged, and tried again
    /// by the next notify.
    /// </summary>
    public async Task<NotifyOutcome?> NotifyAsync(string groupId, PolicyEntry entry, int days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _notifying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var inbox = await ReadAsync(days, includeResolved: false, cancellationToken).ConfigureAwait(false);
            if (inbox.Find(groupId) is null)
            {
                inbox = await ReadAsync(days, includeResolved: true, cancellationToken).ConfigureAwait(false);
            }

            if (inbox.Find(groupId) is not { } group)
            {
                return null;
            }

            var alreadySent = await store.SentToAsync(entry.Id, cancellationToken).ConfigureAwait(false);
            var (sent, failed, skipped) = (0, 0, 0);
            // Each worker once, in the conversation of their latest request.
            foreach (var question in group.Questions.Where(q => q.OptedInBy is not null).GroupBy(q => q.OptedInBy!, StringComparer.Ordinal).Select(g => g.MaxBy(q => q.At)!))
            {
                if (alreadySent.Contains(question.OptedInBy!))
                {
                    skipped++;
                }
                else if (await SendAsync(entry, question, inbox.Turns[question.Id], cancellationToken).ConfigureAwait(false))
                {
                    sent++;
                }
                else
                {
                    failed++;
                }
            }

            LogNotified(logger, groupId, entry.Id, sent, failed, skipped);
            return new NotifyOutcome(sent, failed, skipped);
        }
        finally
        {
            _notifying.Release();
        }
    }

    public void Dispose() => _notifying.Dispose();

    private async Task<bool> SendAsync(PolicyEntry entry, UnansweredQuestion question, UnansweredTurn turn, CancellationToken cancellationToken)
    {
        var conversation = PersonalData.Mask(turn.ConversationId);
        try
        {
            var answer = replies.LaterAnswer(entry, question.Text);
            var delivered = turn.ChannelId is { } channelId && await references.ContinueConversationAsync(
                adapter, channelId, turn.ConversationId, (context, token) => context.SendActivityAsync(answer, token), cancellationToken).ConfigureAwait(false);
            if (!delivered)
            {
                LogNoReference(logger, entry.Id, conversation);
                return false;
            }

            await store.RecordSentAsync(entry.Id, question.OptedInBy!, turn.ChannelId, turn.ConversationId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSendFailed(logger, e, entry.Id, conversation);
            return false;
        }
    }

    private async Task<Inbox> ReadAsync(int days, bool includeResolved, CancellationToken cancellationToken)
    {
        // Turns are written in the background: the inbox shows every turn answered before this request.
        await turns.FlushAsync(cancellationToken).ConfigureAwait(false);
        var found = UnansweredTurns.Collect(await turns.SinceAsync(time.GetUtcNow().AddDays(-days), cancellationToken).ConfigureAwait(false));
        if (!includeResolved)
        {
            var resolved = await store.LatestResolutionsAsync(cancellationToken).ConfigureAwait(false);
            found = [.. found.Where(t => !(resolved.TryGetValue(UnansweredGrouper.Key(t.Question.Text), out var at) && at >= t.Question.At))];
        }

        return new Inbox(grouper.Group(found.Select(t => t.Question), search), found.ToDictionary(t => t.Question.Id));
    }

    private sealed record Inbox(IReadOnlyList<UnansweredGroup> Groups, IReadOnlyDictionary<long, UnansweredTurn> Turns)
    {
        public UnansweredGroup? Find(string groupId) => Groups.FirstOrDefault(g => g.Id == groupId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Unanswered group {GroupId} ({Count} questions) resolved to {EntryId} by {ResolvedBy}")]
    private static partial void LogResolved(ILogger logger, string groupId, int count, string entryId, string resolvedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer {EntryId} for unanswered group {GroupId}: {Sent} sent, {Failed} failed, {AlreadySent} already sent")]
    private static partial void LogNotified(ILogger logger, string groupId, string entryId, int sent, int failed, int alreadySent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answer {EntryId} not sent to conversation {Conversation}: no conversation reference is stored")]
    private static partial void LogNoReference(ILogger logger, string entryId, string conversation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answer {EntryId} not sent to conversation {Conversation}")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string entryId, string conversation);
}
