-- wrk script: every request is a fresh expectReplies message turn, as score.py sends it.
local questions = {
  "老板拖欠工资三个月了怎么办", "周末加班工资怎么算", "试用期最长可以约定多久",
  "公司不给交社保合法吗", "上下班路上出车祸算工伤吗", "怎么加入工会", "明天天气怎么样",
}
local counter = 0
request = function()
  counter = counter + 1
  local q = questions[(counter % #questions) + 1]
  local body = string.format([[{"type":"message","id":"m%d","channelId":"directline","serviceUrl":"http://127.0.0.1:9/","from":{"id":"worker-%d","role":"user"},"recipient":{"id":"hotline-bot","role":"bot"},"conversation":{"id":"load-%d"},"text":"%s","deliveryMode":"expectReplies","locale":"zh-CN"}]], counter, counter, counter, q)
  return wrk.format("POST", "/api/messages", {["Content-Type"] = "application/json"}, body)
end
