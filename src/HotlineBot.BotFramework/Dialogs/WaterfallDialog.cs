using System.Globalization;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Dialogs;

/// <summary>One step of a waterfall: ask something (a prompt), or move on.</summary>
public delegate Task<DialogTurnResult> WaterfallStep(WaterfallStepContext stepContext, CancellationToken cancellationToken);

/// <summary>A fixed sequence of steps; each step's result (a prompt's answer) goes to the next (as Bot Builder's WaterfallDialog).</summary>
public class WaterfallDialog : Dialog
{
    private const string PersistedOptions = "options";
    private const string PersistedValues = "values";
    private const string PersistedStepIndex = "stepIndex";
    private const string PersistedInstanceId = "instanceId";

    private readonly List<WaterfallStep> _steps;

    public WaterfallDialog(string dialogId, IEnumerable<WaterfallStep>? actions = null)
        : base(dialogId) => _steps = actions is null ? [] : [.. actions];

    public IReadOnlyList<WaterfallStep> Steps => _steps;

    public WaterfallDialog AddStep(WaterfallStep step)
    {
        _steps.Add(step ?? throw new ArgumentNullException(nameof(step)));
        return this;
    }

    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var state = ActiveState(dc);
        if (options is not null)
        {
            state[PersistedOptions] = options;
        }

        state[PersistedValues] = new Dictionary<string, object>(StringComparer.Ordinal);
        state[PersistedInstanceId] = Guid.NewGuid().ToString("n");
        return await RunStepAsync(dc, 0, DialogReason.BeginCalled, null, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (dc.Context.Activity.Type != ActivityTypes.Message)
        {
            return EndOfTurn;
        }

        return await ResumeDialogAsync(dc, DialogReason.ContinueCalled, dc.Context.Activity.Text, cancellationToken).ConfigureAwait(false);
    }

    public override Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var index = ActiveState(dc).GetValue<int>(PersistedStepIndex);
        return RunStepAsync(dc, index + 1, reason, result, cancellationToken);
    }

    /// <summary>Runs one step; override to observe or wrap steps.</summary>
    protected virtual Task<DialogTurnResult> OnStepAsync(WaterfallStepContext stepContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stepContext);
        return _steps[stepContext.Index](stepContext, cancellationToken);
    }

    private static IDictionary<string, object> ActiveState(DialogContext dc) =>
        dc.ActiveDialog?.State ?? throw new InvalidOperationException("The waterfall is not on the dialog stack.");

    private async Task<DialogTurnResult> RunStepAsync(DialogContext dc, int index, DialogReason reason, object? result, CancellationToken cancellationToken)
    {
        if (index >= _steps.Count)
        {
            // Past the last step: the waterfall ends with the last step's result.
            return await dc.EndDialogAsync(result, cancellationToken).ConfigureAwait(false);
        }

        var state = ActiveState(dc);
        state[PersistedStepIndex] = index;

        // Values and options come back from storage as JSON: keep them typed for the rest of the turn.
        var values = state.GetValue<Dictionary<string, object>>(PersistedValues)
            ?? new Dictionary<string, object>(StringComparer.Ordinal);
        state[PersistedValues] = values;
        var options = state.TryGetValue(PersistedOptions, out var persisted) ? persisted : null;

        var stepContext = new WaterfallStepContext(this, dc, options, values, index, reason, result);
        return await OnStepAsync(stepContext, cancellationToken).ConfigureAwait(false);
    }

    internal Task<DialogTurnResult> NextAsync(DialogContext dc, object? result, CancellationToken cancellationToken) =>
        ResumeDialogAsync(dc, DialogReason.NextCalled, result, cancellationToken);

    /// <summary>The step's name in errors and logs.</summary>
    internal string StepName(int index) => string.Create(CultureInfo.InvariantCulture, $"{Id}[{index}]");
}

/// <summary>What a waterfall step sees: the previous step's result, the waterfall's values and options (as Bot Builder's WaterfallStepContext).</summary>
public class WaterfallStepContext : DialogContext
{
    private readonly WaterfallDialog _parentWaterfall;
    private bool _nextCalled;

    internal WaterfallStepContext(WaterfallDialog parentWaterfall, DialogContext dc, object? options, IDictionary<string, object> values, int index, DialogReason reason, object? result)
        : base(dc)
    {
        _parentWaterfall = parentWaterfall;
        Options = options;
        Values = values;
        Index = index;
        Reason = reason;
        Result = result;
    }

    /// <summary>The step's position, from 0.</summary>
    public int Index { get; }

    /// <summary>The options the waterfall was begun with (a <see cref="System.Text.Json.JsonElement"/> after a turn boundary).</summary>
    public object? Options { get; }

    public DialogReason Reason { get; }

    /// <summary>The previous step's result: a prompt's recognized value, or the user's text.</summary>
    public object? Result { get; }

    /// <summary>Values the steps share; saved with the dialog (objects come back as JSON after a turn boundary).</summary>
    public IDictionary<string, object> Values { get; }

    /// <summary>Skips to the next step at once, with <paramref name="result"/> as its result.</summary>
    public Task<DialogTurnResult> NextAsync(object? result = null, CancellationToken cancellationToken = default)
    {
        if (_nextCalled)
        {
            throw new InvalidOperationException($"WaterfallStepContext.NextAsync was called more than once in step {_parentWaterfall.StepName(Index)}.");
        }

        _nextCalled = true;
        return _parentWaterfall.NextAsync(this, result, cancellationToken);
    }
}
