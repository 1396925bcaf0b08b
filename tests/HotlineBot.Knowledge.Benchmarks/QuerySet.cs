using HotlineBot.Knowledge.Evaluation;

namespace HotlineBot.Knowledge.Benchmarks;

/// <summary>One question of the query set and the group it belongs to.</summary>
internal sealed record Query(string Group, string Text);

/// <summary>
/// The fixed questions every search benchmark runs: the questions of seeds/regression.jsonl (all
/// kinds, out-of-scope and emergencies included, as the bot searches them all) and questions written
/// here the way workers type: colloquial, long stories, traditional characters, emoji and typos.
/// </summary>
internal static class QuerySet
{
    public const string RegressionGroup = "regression";

    private static readonly Lazy<IReadOnlyList<Query>> LazyAll = new(Load);

    /// <summary>Every query, regression questions first, in a fixed order.</summary>
    public static IReadOnlyList<Query> All => LazyAll.Value;

    public static IReadOnlyList<string> Texts => [.. All.Select(q => q.Text)];

    private static List<Query> Load() =>
        [.. EvalCaseReader.Read(Path.Combine(Workload.SeedsDirectory(), "regression.jsonl"))
            .Select(c => new Query(RegressionGroup, c.Question)),
         .. Written];

    public static IReadOnlyList<Query> Written { get; } =
    [
        // Colloquial: short, spoken, the worker's own words.
        new("colloquial", "老板说这个月没钱发工资让我们等等，都拖了俩月了咋整"),
        new("colloquial", "周末被叫去加班 加班费咋算啊"),
        new("colloquial", "干了三年被炒了 能拿多少补偿"),
        new("colloquial", "厂里不给交社保 我自己辞职能要补偿不"),
        new("colloquial", "送外卖路上被车撞了算不算工伤"),
        new("colloquial", "怀孕了公司让我走人 这合法吗"),
        new("colloquial", "试用期干了一个月说我不合格直接让我滚蛋"),
        new("colloquial", "没签合同干了半年 老板不认账咋办"),
        new("colloquial", "一天干12个小时一个月就休两天 这正常吗"),
        new("colloquial", "年假公司不让休 能折成钱不"),
        new("colloquial", "工地包工头跑路了 工钱找谁要"),
        new("colloquial", "想入工会 一个月要交多少钱"),
        new("colloquial", "辞职了公司死活不给开离职证明"),
        new("colloquial", "公司要扣我身份证原件 说怕我跑了"),
        new("colloquial", "996算不算违法啊"),

        // Long: the whole story in one message.
        new("long", "我在一家物流公司当了四年多的分拣员，去年年底公司说效益不好要裁员，让我们签一个自愿离职的协议，说签了就给一个月工资，不签就什么都没有。我想问一下这种情况我应该签吗，按法律我能拿多少经济补偿？"),
        new("long", "我老公在工地上干活的时候从脚手架上摔下来，腿骨折了，现在在医院躺着，包工头只给了两千块钱就不管了，公司也说他不是正式员工，请问这种情况能不能认定工伤，医药费和误工费应该找谁要？"),
        new("long", "我是一名外卖骑手，平台通过一家外包公司跟我签的协议，上面写的是合作关系不是劳动关系，现在我在送餐途中摔伤了，站长说平台买了意外险让我自己去理赔，我想知道我能不能算工伤，有没有人能帮我？"),
        new("long", "我们车间夏天温度特别高，经常三十八九度，厂里既不发高温补贴也不减少工作时间，好几个工友都中暑了，领导还说谁受不了就走人，我们应该向哪里反映，高温津贴有没有标准？"),
        new("long", "我在这家公司做了两年文员，合同下个月到期，公司说不续签了，人事说合同到期不续签是不用给补偿的，我查了一下好像不是这样，到底合同到期不续签有没有经济补偿，怎么算？"),
        new("long", "我妈在小区做保洁，今年已经六十一岁了，物业每个月给她发一千五，比我们这里的最低工资还低，还说她超过退休年龄不算劳动关系，请问她这种情况工资低于最低工资标准能不能去告？"),
        new("long", "生完孩子回来上班，公司把我从主管调成了普通文员，工资也降了一大截，还不给我喂奶的时间，说大家都一样要按时打卡，我想问哺乳期有哪些保护，公司这样做合法吗？"),
        new("long", "上个月我在厂里被机器压伤了手指，厂里让我先请假回家养着，说停工期间只发基本工资，而且要我自己承担一部分医药费，我不知道停工留薪期应该拿多少钱，工伤的医疗费该谁出？"),

        // Traditional characters.
        new("traditional", "老闆拖欠工資怎麼辦"),
        new("traditional", "公司不跟我簽勞動合同，可以要求雙倍工資嗎"),
        new("traditional", "加班費怎麼算，週末加班有沒有兩倍"),
        new("traditional", "懷孕期間公司可以解僱我嗎"),
        new("traditional", "上下班途中發生車禍算不算工傷"),
        new("traditional", "試用期最長可以約定多久"),
        new("traditional", "怎麼申請勞動仲裁，要帶什麼材料"),
        new("traditional", "產假有幾天，陪產假呢"),

        // Emoji, repeated punctuation, full-width characters and typos.
        new("emoji-typo", "老板不发工资😭😭😭怎么办啊！！！"),
        new("emoji-typo", "加斑费怎么算🙏🙏"),
        new("emoji-typo", "被辞退了💔 有没有补偿？？？"),
        new("emoji-typo", "工伤👉认定要多久⏰"),
        new("emoji-typo", "产假多少天啊🤰"),
        new("emoji-typo", "社保不交😡可以举报吗"),
        new("emoji-typo", "１２３５１电话几点有人接📞"),
        new("emoji-typo", "年假🏖️有几天"),
        new("emoji-typo", "劳动和同没签怎么办"),
        new("emoji-typo", "公伤认定去哪里申请"),
    ];
}
