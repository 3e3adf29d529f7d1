export type Locale = 'zh-CN' | 'en';

const zh = {
  title: 'CA 签名网关控制台',
  subtitle: '扫码登录、文书签名与签名记录',
  apiKey: 'API 密钥',
  apiKeyHint: 'read 密钥可查看与验证记录；admin 密钥还可查看证书登记与审计链',
  apply: '使用',
  login: '扫码登录',
  userCode: '护士工号',
  provider: '厂商',
  startLogin: '生成二维码',
  status: '状态',
  waiting: '等待扫码…',
  virtualPhone: '模拟手机扫码',
  virtualApp: '模拟 App 扫码',
  simulatorsOnly: '仅内置模拟器（非生产环境）',
  loggedIn: '已登录',
  sign: '文书签名',
  docType: '类型',
  document: '护理文书',
  riskAssessment: '风险评估',
  content: '内容 (JSON，须含 id)',
  signNow: '签名',
  signature: '签名值',
  certificate: '证书',
  timestamp: '时间戳',
  verification: '验证',
  none: '无',
  valid: '有效',
  invalid: '无效',
  notChecked: '未验证',
  records: '签名记录',
  docId: '文书编号',
  list: '查询',
  verifyAll: '全部验证',
  verify: '验证',
  signedAt: '签名时间',
  signer: '签名人',
  admin: '管理',
  enrollments: '证书登记',
  audit: '审计链',
  load: '加载',
  notAvailable: '此网关版本未提供',
  needsAdmin: '需要 admin 密钥',
  needsKey: '需要有效的 API 密钥',
  loginFirst: '请先登录',
  error: '错误',
  noRecords: '暂无记录',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  title: 'CA Signature Gateway Console',
  subtitle: 'QR login, document signing and signature records',
  apiKey: 'API key',
  apiKeyHint: 'a read key lists and verifies records; an admin key also shows enrollments and the audit chain',
  apply: 'Use',
  login: 'QR login',
  userCode: 'Nurse code',
  provider: 'Vendor',
  startLogin: 'Show QR code',
  status: 'Status',
  waiting: 'Waiting for the scan…',
  virtualPhone: 'Scan with the virtual phone',
  virtualApp: 'Scan with the virtual app',
  simulatorsOnly: 'built-in simulators only (not for production)',
  loggedIn: 'Logged in',
  sign: 'Sign a document',
  docType: 'Type',
  document: 'Nursing record',
  riskAssessment: 'Risk assessment',
  content: 'Content (JSON with an id)',
  signNow: 'Sign',
  signature: 'Signature',
  certificate: 'Certificate',
  timestamp: 'Timestamp',
  verification: 'Verification',
  none: 'none',
  valid: 'valid',
  invalid: 'invalid',
  notChecked: 'not checked',
  records: 'Signature records',
  docId: 'Document id',
  list: 'List',
  verifyAll: 'Verify all',
  verify: 'Verify',
  signedAt: 'Signed at',
  signer: 'Signer',
  admin: 'Administration',
  enrollments: 'Enrollments',
  audit: 'Audit chain',
  load: 'Load',
  notAvailable: 'not available in this gateway version',
  needsAdmin: 'needs an admin key',
  needsKey: 'needs a valid API key',
  loginFirst: 'Log in first',
  error: 'Error',
  noRecords: 'no records',
};

const catalogues: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export function translate(locale: Locale, key: MessageKey): string {
  return catalogues[locale][key];
}

/** Fills every element marked data-i18n (text) or data-i18n-placeholder with the locale's message. */
export function applyLocale(root: ParentNode, locale: Locale): void {
  document.documentElement.lang = locale;
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((element) => {
    element.textContent = translate(locale, element.dataset.i18n as MessageKey);
  });
  root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]').forEach((element) => {
    element.placeholder = translate(locale, element.dataset.i18nPlaceholder as MessageKey);
  });
  document.title = translate(locale, 'title');
}
