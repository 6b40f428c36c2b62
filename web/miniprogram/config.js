/**
 * qa-bot 小程序配置 / mini-program configuration.
 *
 * baseUrl: qa-bot 服务器地址（必须是 HTTPS，且已加入小程序后台的 request 合法域名）
 * apiKey : 访问密钥（服务器 QA_BOT_API_KEYS 中的一个）；留空则不发送 Authorization 头。
 *          注意：写在小程序代码包里的密钥可以被提取，请为小程序单独发一个密钥并配合限流。
 */
module.exports = {
  baseUrl: 'https://qa.example.gov.cn',
  apiKey: '',
  // topK: 5,        // 每个回答引用的条文数（top_k）；不写则由服务器决定（设置 QA_BOT_DEFAULT_TOP_K，默认 5），网页聊天页也是如此
  stream: true,       // true: 流式 /api/ask/stream；false: 一次性 /api/ask
  timeout: 120000     // 请求超时（毫秒）
};
