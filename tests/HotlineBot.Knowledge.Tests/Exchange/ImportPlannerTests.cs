using HotlineBot.Knowledge.Entries;
using HotlineBot.Knowledge.Exchange;
using HotlineBot.Knowledge.Storage;
using static HotlineBot.Knowledge.Tests.Exchange.ExchangeEntries;

namespace HotlineBot.Knowledge.Tests.Exchange;

public class ImportPlannerTests
{
    private static Dictionary<string, PolicyEntry> Store(params PolicyEntry[] entries) => entries.ToDictionary(e => e.Id, StringComparer.Ordinal);

    [Fact]
    public void Plan_CreatesEntries_WhoseIdIsNewOrEmpty()
    {
        var plan = ImportPlanner.Plan([Tricky, Bare with { Id = string.Empty }], Store(Bare));

        Assert.Equal([ImportAction.Create, ImportAction.Create], plan.Entries.Select(e => e.Action));
        Assert.All(plan.Entries, e => Assert.Null(e.Current));
        // Against no current entry, every field shows with its new value, as the store's history records a first version.
        Assert.Equal(EntryDiff.Between(null, Tricky), plan.Entries[0].Changes);
        Assert.Equal(2, plan.Count(ImportAction.Create));
    }

    [Fact]
    public void Plan_LeavesEntriesUnchanged_WhenNoFieldDiffers_WhateverTheirVersion()
    {
        var plan = ImportPlanner.Plan([Tricky with { Version = 1 }, Bare], Store(Tricky, Bare));

        Assert.Equal([ImportAction.Unchanged, ImportAction.Unchanged], plan.Entries.Select(e => e.Action));
        Assert.All(plan.Entries, e => Assert.Empty(e.Changes));
        Assert.Same(Tricky, plan.Entries[0].Current);
    }

    [Fact]
    public void Plan_Updates_WhenTheFileWasMadeFromTheCurrentVersion_WithTheFieldDiff()
    {
        var edited = Tricky with { Answer = "新的答案", Tags = ["新标签"] };

        var entry = Assert.Single(ImportPlanner.Plan([edited], Store(Tricky)).Entries);

        Assert.Equal(ImportAction.Update, entry.Action);
        Assert.Equal(
            [
                new FieldChange("answer", Tricky.Answer, "新的答案"),
                new FieldChange("tags", EntryDiff.Between(null, Tricky).Single(c => c.Field == "tags").New, "[\"新标签\"]"),
            ],
            entry.Changes);
    }

    [Fact]
    public void Plan_ReportsAConflict_WhenTheStoreChangedSinceTheFileWasMade()
    {
        // An admin edited a shipped entry (now version 2); the seed file still has version 1 with the old answer.
        var seed = Seeds[0];
        var edited = seed with { Answer = seed.Answer + "\n管理员补充的一行", Version = 2 };

        var plan = ImportPlanner.Plan(ReadClean(KnowledgeExport.Write([seed], ExchangeFormat.Yaml), ExchangeFormat.Yaml), Store(edited));

        var entry = Assert.Single(plan.Entries);
        Assert.Equal(ImportAction.Conflict, entry.Action);
        Assert.True(plan.HasConflicts);
        Assert.Same(edited, entry.Current);
        Assert.Equal([new FieldChange("answer", edited.Answer, seed.Answer)], entry.Changes);
    }

    [Fact]
    public void Plan_ReportsAConflict_ForAFileClaimingAVersionTheStoreDoesNotHave()
    {
        var entry = Assert.Single(ImportPlanner.Plan([Bare with { Question = "改过的问题", Version = 5 }], Store(Bare)).Entries);

        Assert.Equal(ImportAction.Conflict, entry.Action);
        Assert.Equal(["question"], entry.Changes.Select(c => c.Field));
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ExchangeEntries))]
    public void Plan_FindsExactlyTheEditedField_AfterAnExportEditedAndImportedAgain(ExchangeFormat format)
    {
        var store = Store([.. Seeds]);
        var target = Seeds[^1];
        var export = KnowledgeExport.Write(Seeds, format);
        // Retire the last entry in the file in the file, as an admin would in an editor or spreadsheet.
        var edited = format switch
        {
            ExchangeFormat.Csv => ReplaceLast(export, ",published,", ",retired,"),
            ExchangeFormat.Json => ReplaceLast(export, "\"status\": \"published\"", "\"status\": \"retired\""),
            _ => ReplaceLast(export, "status: published", "status: retired"),
        };
        Assert.NotEqual(export, edited);

        var plan = ImportPlanner.Plan(ReadClean(edited, format), store);

        Assert.Equal(Seeds.Count, plan.Entries.Count);
        var update = Assert.Single(plan.Entries, e => e.Action != ImportAction.Unchanged);
        Assert.Equal((ImportAction.Update, target.Id), (update.Action, update.Incoming.Id));
        Assert.Equal([new FieldChange("status", "published", "retired")], update.Changes);
    }

    private static string ReplaceLast(string text, string old, string replacement)
    {
        var at = text.LastIndexOf(old, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + old.Length)..];
    }
}
