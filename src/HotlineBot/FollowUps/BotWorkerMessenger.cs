using System.Text.Json;
using HotlineBot.BotFramework.Builder;
using HotlineBot.BotFramework.Connector;
using HotlineBot.BotFramework.Schema;
using HotlineBot.Cases;
using HotlineBot.Cases.FollowUps;
using HotlineBot.Cases.Workflow;
using HotlineBot.Dialogs.Replies;

namespace HotlineBot.FollowUps;

/// <summary>
/// Sends a case's queued message into the worker's own conversation through the continue-conversation
/// API, with <c>channelData.hotline</c> kind <c>operator</c>, <c>status</c> or <c>survey</c> and the case id.
/// A message the channel does not take throws, so the delivery job records it and tries again; one the
/// channel will never take (<see cref="ActivityUndeliverableException"/>) throws
/// <see cref="WorkerUnreachableException"/>, so the job marks it undeliverable at once.
/// </summary>
public sealed class BotWorkerMessenger(BotAdapter adapter) : IWorkerMessenger
{
    public async Task SendAsync(string caseId, WorkerContact worker, CaseDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(delivery);
        var reference = JsonSerializer.Deserialize<ConversationReference>(worker.ConversationReferenceJson, ProtocolJson.Options)
            ?? throw new InvalidOperationException($"Case {caseId} has no conversation reference.");
        var activity = ToActivity(caseId, delivery);
        try
        {
            await adapter.ContinueConversationAsync(reference, (turn, token) => turn.SendActivityAsync(activity, token), cancellationToken).ConfigureAwait(false);
        }
        catch (ActivityUndeliverableException e)
        {
            throw new WorkerUnreachableException(e.Reason, e);
        }
    }

    internal static Activity ToActivity(string caseId, CaseDelivery delivery)
    {
        var (kind, text) = delivery.Kind switch
        {
            DeliveryKind.Operator => (ReplyKinds.Operator, CaseMessages.OperatorLine(delivery.Text)),
            DeliveryKind.Survey => (ReplyKinds.Survey, delivery.Text),
            _ => (ReplyKinds.Status, delivery.Text),
        };
        var activity = HotlineReplies.Create(new HotlineMetadata(kind, CaseId: caseId), text);
        // The delivery id names the message in the channel's and the transcript's records.
        activity.Id = delivery.Id;
        if (delivery.Choices.Count > 0)
        {
            activity.SuggestedActions = new SuggestedActions
            {
                Actions = [.. delivery.Choices.Select(c => CardAction.ImBack(c))],
            };
        }

        return activity;
    }
}
