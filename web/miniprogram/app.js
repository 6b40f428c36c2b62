// qa-bot 政府公报问答小程序
App({
  globalData: {}
});
