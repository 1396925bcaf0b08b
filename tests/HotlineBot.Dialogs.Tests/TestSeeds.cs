using HotlineBot.Dialogs.Emergency;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.SmallTalk;

[assembly: AssemblyFixture(typeof(HotlineBot.Dialogs.Tests.SeedsFixture))]

namespace HotlineBot.Dialogs.Tests;

/// <summary>The real seed content (copied beside the tests by seeds/Seeds.targets), loaded once for the assembly.</summary>
public sealed class SeedsFixture
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "seeds");

    public SeedsFixture()
    {
        Seeds = SeedLoader.Load(Directory);
        Search = PolicySearch.FromSeeds(Seeds, new SearchOptions());
        SmallTalk = new SmallTalkMatcher(Seeds.SmallTalk);
        Emergencies = EmergencyDetector.Load(Path.Combine(Directory, EmergencyDetector.FileName));
    }

    public SeedSet Seeds { get; }

    public PolicySearch Search { get; }

    public SmallTalkMatcher SmallTalk { get; }

    public EmergencyDetector Emergencies { get; }

    public static IReadOnlyDictionary<string, string> AnswerValues { get; } = new Dictionary<string, string>
    {
        ["operatorHours"] = "工作日9:00–17:30",
    };
}
