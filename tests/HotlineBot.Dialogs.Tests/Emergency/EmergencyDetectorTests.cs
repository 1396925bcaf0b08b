using HotlineBot.Dialogs.Emergency;
using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Loading;

namespace HotlineBot.Dialogs.Tests.Emergency;

public sealed class EmergencyDetectorTests(SeedsFixture fixture)
{
    [Theory]
    // Violence or confinement → 110
    [InlineData("工头拿着刀堵在宿舍门口不让我们走", "violence-or-confinement", "110")]
    [InlineData("老板把我们关起来不让走", "violence-or-confinement", "110")]
    [InlineData("包工头扣着不让出门，说干完活才放人", "violence-or-confinement", "110")]
    [InlineData("几个保安正在打人，我们躲在厕所里", "violence-or-confinement", "110")]
    [InlineData("去要工钱被工头打了", "violence-or-confinement", "110")]
    [InlineData("他们拿着棍子在宿舍门口堵我", "violence-or-confinement", "110")]
    [InlineData("被骗进传销出不来了，手机也被收了", "violence-or-confinement", "110")]
    [InlineData("老板扬言要杀了我们", "violence-or-confinement", "110")]
    [InlineData("他们把我锁在屋里不让我出去", "violence-or-confinement", "110")]
    [InlineData("工头喝醉了拿刀砍人", "violence-or-confinement", "110")]
    [InlineData("讨薪的时候被人打伤了", "violence-or-confinement", "110")]
    // Injury → 120
    [InlineData("厂里有人触电倒地不起", "injury", "120")]
    [InlineData("同事的手被机器卷进去了,血止不住", "injury", "120")]
    [InlineData("工友从脚手架上摔下来了，叫不醒", "injury", "120")]
    [InlineData("车间有人昏迷了", "injury", "120")]
    [InlineData("同事突然倒在地上没呼吸了", "injury", "120")]
    [InlineData("工友晕倒了，喘不上气", "injury", "120")]
    [InlineData("他被钢管砸到头，流了很多血", "injury", "120")]
    [InlineData("工地塌方有人被埋了", "injury", "120")]
    [InlineData("师傅手指断了，一直在流血", "injury", "120")]
    [InlineData("车间有人中毒晕倒了", "injury", "120")]
    [InlineData("室友大出血", "injury", "120")]
    [InlineData("隔壁工友中暑昏过去了", "injury", "120")]
    [InlineData("工友口吐白沫全身抽搐", "injury", "120")]
    [InlineData("有人被叉车压住了", "injury", "120")]
    [InlineData("廠裡有人觸電倒地不起", "injury", "120")]
    // Fire → 119
    [InlineData("仓库起火冒烟了,里面还有人", "fire", "119")]
    [InlineData("宿舍着火了", "fire", "119")]
    [InlineData("车间发生爆炸", "fire", "119")]
    [InlineData("厂房烧起来了", "fire", "119")]
    [InlineData("电瓶车在楼道里冒烟了", "fire", "119")]
    [InlineData("我们被困在电梯里了", "fire", "119")]
    [InlineData("倉庫起火了！！！", "fire", "119")]
    [InlineData("着　火　了！！", "fire", "119")]
    // Gas leaks → 119
    [InlineData("宿舍煤气泄漏了", "gas-leak", "119")]
    [InlineData("厨房一股煤气味", "gas-leak", "119")]
    [InlineData("车间氨气泄漏", "gas-leak", "119")]
    [InlineData("煤气罐漏气了怎么办", "gas-leak", "119")]
    // Self-harm → 12356 (and 110/120)
    [InlineData("讨了半年工钱讨不到,我想从楼顶跳下去算了", "self-harm", "12356")]
    [InlineData("我不想活了", "self-harm", "12356")]
    [InlineData("活着没意思", "self-harm", "12356")]
    [InlineData("干了一年一分钱没拿到，真想死", "self-harm", "12356")]
    [InlineData("我割腕了", "self-harm", "12356")]
    [InlineData("工友喝农药了", "self-harm", "12356")]
    [InlineData("我想吃安眠药睡过去", "self-harm", "12356")]
    [InlineData("工友站在楼顶说要跳下去", "self-harm", "12356")]
    [InlineData("实在活不下去了", "self-harm", "12356")]
    [InlineData("我想自杀", "self-harm", "12356")]
    [InlineData("拿不到钱就跟老板同归于尽", "self-harm", "12356")]
    // More phrasings, as workers type them
    [InlineData("老板叫了几个人来打我们", "violence-or-confinement", "110")]
    [InlineData("工友被人砍了", "violence-or-confinement", "110")]
    [InlineData("有人拿着砖头要砸我", "violence-or-confinement", "110")]
    [InlineData("我们被关在工地的板房里出不去", "violence-or-confinement", "110")]
    [InlineData("老板把我们的身份证扣了，还锁了大门不让出去", "violence-or-confinement", "110")]
    [InlineData("包工头带人把我围住了", "violence-or-confinement", "110")]
    [InlineData("在宿舍被室友捅了一刀", "violence-or-confinement", "110")]
    [InlineData("宿舍有人打架，已经见血了", "injury", "120")]
    [InlineData("我现在被人跟着，很害怕", "violence-or-confinement", "110")]
    [InlineData("被人绑起来了", "violence-or-confinement", "110")]
    [InlineData("工友被钢筋扎穿了腿", "injury", "120")]
    [InlineData("同事从三楼掉下来了", "injury", "120")]
    [InlineData("塔吊倒了，压到人了", "injury", "120")]
    [InlineData("有人掉进化粪池了", "injury", "120")]
    [InlineData("车间里的化学品溅到他眼睛里了", "injury", "120")]
    [InlineData("老公在工地上出事了，现在人在抢救", "injury", "120")]
    [InlineData("工友被压在墙下面了", "injury", "120")]
    [InlineData("血流了一地", "injury", "120")]
    [InlineData("有个工友被高压电打了", "injury", "120")]
    [InlineData("他被叉车撞了，躺在地上起不来", "injury", "120")]
    [InlineData("我的手被切断了", "injury", "120")]
    [InlineData("矿井里有人被困", "fire", "119")]
    [InlineData("厂里的锅炉要爆炸了", "fire", "119")]
    [InlineData("宿舍楼冒了好多烟", "fire", "119")]
    [InlineData("着火啦快跑", "fire", "119")]
    [InlineData("化工厂泄漏了，味道很呛", "gas-leak", "119")]
    [InlineData("我真的撑不下去了，想一死了之", "self-harm", "12356")]
    [InlineData("这个世界没什么好留恋的了", "self-harm", "12356")]
    [InlineData("我准备跳河了", "self-harm", "12356")]
    [InlineData("工友说要从塔吊上跳下来", "self-harm", "12356")]
    [InlineData("我吃了一整瓶安眠药", "self-harm", "12356")]
    [InlineData("我把药都吞了", "self-harm", "12356")]
    [InlineData("工友留了遗书不见了", "self-harm", "12356")]
    [InlineData("我活得太累了，想结束这一切", "self-harm", "12356")]
    [InlineData("讨不到钱，我准备从桥上跳下去", "self-harm", "12356")]
    public void Detect_FindsDanger_WithItsNumber(string message, string category, string number)
    {
        var match = fixture.Emergencies.Detect(message);

        Assert.NotNull(match);
        Assert.Equal(category, match.Primary.Name);
        Assert.Equal(number, match.Numbers[0]);
    }

    [Theory]
    [InlineData("工伤认定要多久")]
    [InlineData("上次被机器压伤了能算工伤吗")]
    [InlineData("手指被压断了三个月了公司不赔")]
    [InlineData("消防培训算加班吗")]
    [InlineData("高温中暑了算工伤吗")]
    [InlineData("去年从脚手架上摔下来，现在还能申请工伤吗")]
    [InlineData("触电受伤住院了，公司不给报销")]
    [InlineData("辞职了老板不让我走")]
    [InlineData("公司被关停了，工资谁发")]
    [InlineData("我都要气炸了，老板三个月不发工资")]
    [InlineData("天天加班累得想死，加班费怎么算")]
    [InlineData("流血流汗干了一年拿不到钱")]
    [InlineData("员工自杀算工伤吗")]
    [InlineData("厨师切菜拿刀划伤了手能报工伤吗")]
    [InlineData("有毒气体作业有没有津贴")]
    [InlineData("火灾险公司给交吗")]
    [InlineData("职业中毒怎么认定")]
    [InlineData("在高温下干活晕倒过两次，能调岗吗")]
    [InlineData("被领导性骚扰怎么办")]
    [InlineData("上班路上被车撞了算工伤吗")]
    [InlineData("我的个人信息泄漏了怎么办")]
    [InlineData("老板拖欠工资怎么办")]
    [InlineData("公司被关了")]
    [InlineData("厂里锁了门不让我们进去上班")]
    [InlineData("工资被砍了一半")]
    [InlineData("没有火车票回不了家")]
    [InlineData("工资的事火烧眉毛了")]
    [InlineData("老板说不干满一年不让走")]
    [InlineData("被领导打压，天天穿小鞋")]
    [InlineData("被公司打了低分")]
    [InlineData("被扣钱打了欠条")]
    [InlineData("公司要倒闭了，撑不下去了")]
    [InlineData("加班多到想死")]
    [InlineData("我想死的心都有了，工资三个月没发")]
    [InlineData("公司逼我签字，不签不让走")]
    [InlineData("仓库太热了，热得喘不过气")]
    [InlineData("我们厂被火灾烧了，停工期间工资怎么算")]
    [InlineData("被同事捅到老板那里了")]
    [InlineData("在天台上晒被子")]
    [InlineData("被老板打了一巴掌，能不能告他")]
    [InlineData("车间有毒气体超标，能要求调岗吗")]
    [InlineData("宿舍电线老化，我担心着火，能投诉吗")]
    [InlineData("工友昨天被机器压断了手指，公司不给看病")]
    [InlineData("我老公在车间出事了，家属能去申请工伤认定吗")]
    [InlineData("被辞退以后整天想不开")]
    [InlineData("高压电工作业有没有津贴")]
    public void Detect_IgnoresPolicyQuestions_AboutPastInjuriesAndRules(string message)
    {
        var match = fixture.Emergencies.Detect(message);

        Assert.True(match is null, $"'{message}' detected as {match?.Describe()} by '{string.Join(", ", match?.Hits.Select(h => h.Cue) ?? [])}'");
    }

    [Theory]
    [InlineData("同事的手刚被机器卷进去了，血止不住，这算工伤吗？", "injury")]
    [InlineData("工头拿着刀堵门不让走，这样违法吗", "violence-or-confinement")]
    [InlineData("讨薪讨不到我不想活了，劳动仲裁要多久", "self-harm")]
    public void Detect_FindsDanger_EvenWhenPhrasedAsPolicyQuestion(string message, string category)
    {
        Assert.Equal(category, fixture.Emergencies.Detect(message)?.Primary.Name);
    }

    [Fact]
    public void Detect_GivesEveryNumber_WhenSeveralDangersMeet()
    {
        var match = fixture.Emergencies.Detect("工头打人，工友头破血流");

        Assert.NotNull(match);
        Assert.Equal(["120", "110"], match.Numbers);
        Assert.Equal("injury", match.Primary.Name);
    }

    [Fact]
    public void Detect_PutsSelfHarmFirst_WithAllItsNumbers()
    {
        var match = fixture.Emergencies.Detect("老板打我，我不想活了");

        Assert.NotNull(match);
        Assert.Equal("self-harm", match.Primary.Name);
        Assert.Equal(["12356", "120", "110"], match.Numbers);
    }

    [Fact]
    public void Detect_IgnoresEveryPublishedPhrasing_OfTheKnowledgeBase()
    {
        var hits = fixture.Seeds.Published
            .SelectMany(e => e.Phrasings().Select(p => (e.Id, Phrasing: p, Match: fixture.Emergencies.Detect(p))))
            .Where(x => x.Match is not null)
            .Select(x => $"{x.Id}: {x.Phrasing} → {x.Match!.Describe()} ({string.Join(", ", x.Match.Hits.Select(h => h.Cue))})")
            .ToList();

        Assert.True(hits.Count == 0, "policy phrasings detected as emergencies:\n" + string.Join("\n", hits));
    }

    [Theory]
    [InlineData("regression.jsonl")]
    [InlineData("check-phrasings.jsonl")]
    public void Detect_FindsExactlyTheEmergencyCases_OfTheCasesFiles(string file)
    {
        var cases = EvalCaseReader.Read(Path.Combine(SeedsFixture.Directory, file));

        var wrong = cases
            .Where(c => (fixture.Emergencies.Detect(c.Question) is not null) != (c.Kind == "emergency"))
            .Select(c => $"{c.Id} {c.Kind}: {c.Question}")
            .ToList();

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Detect_ReadsAStarAsUpToFourCharacters()
    {
        var detector = new EmergencyDetector([Category("violence", cues: ["被*打伤", "甲*乙"])]);

        Assert.NotNull(detector.Detect("我被打伤了"));
        Assert.NotNull(detector.Detect("我被包工头打伤了"));
        Assert.NotNull(detector.Detect("甲一二三四乙"));
        Assert.Null(detector.Detect("甲一二三四五乙"));
    }

    [Fact]
    public void Detect_StopsACue_OnlyByAnUnlessPhraseWithinOneStretchOfText()
    {
        var detector = new EmergencyDetector([Category("violence", cues: ["打人"], unless: ["打人工"])]);

        Assert.Null(detector.Detect("我想打人工电话"));
        Assert.NotNull(detector.Detect("工头打人，工友都跑了"));
    }

    [Fact]
    public void Detect_NeverStopsAnAlwaysCue()
    {
        var detector = new EmergencyDetector([Category("injury", always: ["血止不住"], unless: ["工伤"])], sharedUnless: ["上次"]);

        Assert.NotNull(detector.Detect("上次也是这样，血止不住，这算工伤吗"));
    }

    private static EmergencyCategory Category(string name, string[]? always = null, string[]? cues = null, string[]? unless = null) =>
        new(name, ["110"], "请马上拨打110。", "同时拨打110。", "先离开。", always ?? [], cues ?? [], unless ?? []);

    [Fact]
    public void Load_NamesFileAndLine_OfAnIncompleteCategory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"emergency-{Guid.NewGuid():n}.yaml");
        File.WriteAllText(path, "categories:\n  - name: fire\n    numbers: [\"119\"]\n    call: 请拨打119。\n    also: 同时拨打119。\n    cues: [着火]\n");
        try
        {
            var error = Assert.Throws<KnowledgeLoadException>(() => EmergencyDetector.Load(path));

            Assert.Equal(2, error.Line);
            Assert.Contains("'now'", error.Problem, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_RejectsUnknownKeys_SoATypoDoesNotSilentlyDropCues()
    {
        var path = Path.Combine(Path.GetTempPath(), $"emergency-{Guid.NewGuid():n}.yaml");
        File.WriteAllText(path, "categories:\n  - name: fire\n    numbers: [\"119\"]\n    call: a\n    also: b\n    now: c\n    cues: [着火]\n    unles: [培训]\n");
        try
        {
            var error = Assert.Throws<KnowledgeLoadException>(() => EmergencyDetector.Load(path));

            Assert.Equal(8, error.Line);
            Assert.Contains("unles", error.Problem, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_ReadsTheShippedFile_WithItsFiveCategoriesInPriorityOrder()
    {
        Assert.Equal(["self-harm", "fire", "gas-leak", "injury", "violence-or-confinement"], fixture.Emergencies.Categories.Select(c => c.Name));
        Assert.All(fixture.Emergencies.Categories, c => Assert.StartsWith("请马上拨打" + c.Numbers[0], c.Call, StringComparison.Ordinal));
    }
}
