using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace HotlineBot.Alerts;

/// <summary>
/// The WeCom group robot's webhook: <c>POST {url}</c> with <c>{"msgtype":"markdown","markdown":{"content":…}}</c>;
/// it answers 200 with <c>{"errcode":0,"errmsg":"ok"}</c>. Anything else throws, for the job to be retried.
/// Errors never carry the URL: its key is the robot's only credential.
/// </summary>
public sealed class WeComRobotClient(HttpClient http)
{
    /// <summary>How long one post may take (the HttpClient's timeout).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Chinese text as UTF-8, not \u escapes: shorter, and what the byte limit counts.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public async Task SendMarkdownAsync(Uri url, string content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var body = new RobotMessage("markdown", new RobotMarkdown(content));
        try
        {
            using var response = await http.PostAsync(url, JsonContent.Create(body, options: Json), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The WeCom robot answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
            }

            RobotAnswer? answer;
            try
            {
                answer = await response.Content.ReadFromJsonAsync<RobotAnswer>(Json, cancellationToken);
            }
            catch (JsonException e)
            {
                throw new HttpRequestException("The WeCom robot's answer is not JSON.", e, response.StatusCode);
            }

            if (answer is not { ErrCode: 0 })
            {
                throw new HttpRequestException($"The WeCom robot refused the message: errcode {answer?.ErrCode}, {answer?.ErrMsg}.", null, HttpStatusCode.OK);
            }
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"The WeCom robot did not answer within {Timeout.TotalSeconds} s.", e);
        }
    }

    private sealed record RobotMessage(string Msgtype, RobotMarkdown Markdown);

    private sealed record RobotMarkdown(string Content);

    private sealed record RobotAnswer([property: JsonPropertyName("errcode")] int? ErrCode, [property: JsonPropertyName("errmsg")] string? ErrMsg);
}
