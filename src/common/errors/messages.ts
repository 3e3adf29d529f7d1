export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Text = Record<Locale, string>;

/**
 * Every error message a client can read, by error `type`. English answers keep the error's own, more precise message
 * when it has one; Chinese answers always come from here (with the fields named, for validation errors).
 */
export const ERROR_MESSAGES: Record<string, Text> = {
  BAD_REQUEST: { 'zh-CN': '请求无效', en: 'Bad request' },
  MALFORMED_JSON: { 'zh-CN': '请求体不是合法的 JSON', en: 'Malformed JSON body' },
  MALFORMED_URL: { 'zh-CN': '请求地址无效', en: 'Malformed URL' },
  VALIDATION_FAILED: { 'zh-CN': '请求参数无效', en: 'Invalid request' },
  JSON_TOO_DEEP: { 'zh-CN': '请求体嵌套层数过多', en: 'The request body is nested too deeply' },
  API_KEY_REQUIRED: {
    'zh-CN': '需要有效的 API 密钥（Authorization: Bearer <密钥>）',
    en: 'A valid API key is required (Authorization: Bearer <key>)',
  },
  SCOPE_REQUIRED: { 'zh-CN': 'API 密钥没有此操作所需的权限范围', en: 'The API key lacks the scope this route needs' },
  UNAUTHORIZED: { 'zh-CN': '未授权', en: 'Unauthorized' },
  FORBIDDEN: { 'zh-CN': '无权执行此操作', en: 'Forbidden' },
  IDENTITY_MISMATCH: {
    'zh-CN': 'CA 身份与该用户登记的身份不符',
    en: 'The CA identity is not the one enrolled for this user',
  },
  RESCAN_REQUIRED: {
    'zh-CN': '签名授权已失效，请重新扫码',
    en: 'The signing authorization is no longer valid: scan again',
  },
  NOT_FOUND: { 'zh-CN': '未找到请求的资源', en: 'Not found' },
  CERTIFICATE_NOT_FOUND: {
    'zh-CN': 'CA 服务中没有该序列号的证书',
    en: 'The CA vendor has no certificate with this serial',
  },
  METHOD_NOT_ALLOWED: { 'zh-CN': '该地址不支持此请求方法', en: 'Method not allowed on this path' },
  NOT_ACCEPTABLE: { 'zh-CN': '无法提供所要求的响应格式', en: 'Not acceptable' },
  CONFLICT: { 'zh-CN': '当前状态不允许此操作', en: 'Conflict with the current state' },
  REQUEST_TIMEOUT: { 'zh-CN': '请求超时', en: 'Request timeout' },
  HEADERS_TOO_LARGE: { 'zh-CN': '请求地址或请求头过长', en: 'Request line or headers too large' },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '请求体过大', en: 'Request body is too large' },
  URI_TOO_LONG: { 'zh-CN': '请求地址过长', en: 'URI too long' },
  UNSUPPORTED_MEDIA_TYPE: { 'zh-CN': '不支持的请求内容类型', en: 'Unsupported media type' },
  TOO_MANY_REQUESTS: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests' },
  RATE_LIMITED: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests: try again later' },
  CERT_REVOKED: { 'zh-CN': '证书已被吊销', en: 'The certificate has been revoked' },
  CRL_STALE: {
    'zh-CN': '证书吊销列表已过期，暂时无法确认证书的吊销状态',
    en: 'The CRL is past its nextUpdate: the revocation status of the certificate cannot be checked now',
  },
  SIGNATURE_REJECTED: { 'zh-CN': '签名或证书未通过验证', en: 'The signature or certificate did not verify' },
  VENDOR_REFUSED: { 'zh-CN': 'CA 服务拒绝了请求', en: 'The CA vendor refused the request' },
  VENDOR_JOB_EXPIRED: { 'zh-CN': 'CA 服务的任务已过期', en: 'The CA vendor job has expired' },
  VENDOR_USER_INACTIVE: { 'zh-CN': 'CA 用户未激活或已停用', en: 'The CA user is not active' },
  VENDOR_REQUEST_SIGNATURE_REJECTED: {
    'zh-CN': 'CA 服务拒绝了网关的请求签名',
    en: "The CA vendor rejected the gateway's request signature",
  },
  VENDOR_BAD_PARAMETERS: { 'zh-CN': 'CA 服务认为请求参数有误', en: 'The CA vendor rejected the parameters' },
  VENDOR_UNAUTHORIZED: { 'zh-CN': 'CA 服务拒绝了网关的凭据', en: "The CA vendor rejected the gateway's credentials" },
  VENDOR_UNAVAILABLE: { 'zh-CN': 'CA 服务不可用', en: 'The CA vendor is unavailable' },
  VENDOR_BAD_RESPONSE: { 'zh-CN': 'CA 服务返回了无法识别的应答', en: 'The CA vendor answered something unreadable' },
  VENDOR_TIMEOUT: { 'zh-CN': 'CA 服务响应超时', en: 'The CA vendor did not answer in time' },
  SERVICE_UNAVAILABLE: { 'zh-CN': '服务暂不可用', en: 'Service unavailable' },
  CAPABILITY_UNSUPPORTED: {
    'zh-CN': '该 CA 厂商不支持此操作',
    en: 'The CA vendor cannot do this operation',
  },
  AUDIT_UNVERIFIABLE: {
    'zh-CN': '审计链含有时间戳锚点，但未配置可验证它们的 TSA 根证书',
    en: 'The audit chain holds anchors, but no TSA root is configured to check them',
  },
  DATABASE_UNAVAILABLE: { 'zh-CN': '数据库暂不可用', en: 'The database is unavailable' },
  INTERNAL_ERROR: { 'zh-CN': '服务内部错误', en: 'Internal error' },
};

/** class-validator constraint names in Chinese; a constraint not listed reads as "取值无效". */
const CONSTRAINTS_ZH: Record<string, string> = {
  isDefined: '必填',
  isNotEmpty: '不能为空',
  isString: '必须是字符串',
  isInt: '必须是整数',
  isNumber: '必须是数字',
  isBoolean: '必须是布尔值',
  isObject: '必须是对象',
  isArray: '必须是数组',
  isIn: '不是允许的取值',
  isEnum: '不是允许的取值',
  matches: '格式不正确',
  min: '小于允许的最小值',
  max: '大于允许的最大值',
  minLength: '过短',
  maxLength: '过长',
  isBase64: '必须是 Base64',
  isHexadecimal: '必须是十六进制',
  whitelistValidation: '不是允许的字段',
  required: '必填',
};

export interface FieldProblem {
  field: string;
  problems: string[];
  constraints?: string[];
}

export function fieldsMessageZh(fields: FieldProblem[]): string {
  const parts = fields.map((f) => {
    const words = (f.constraints ?? []).map((c) => CONSTRAINTS_ZH[c] ?? '取值无效');
    return `${f.field}（${[...new Set(words.length > 0 ? words : ['取值无效'])].join('，')}）`;
  });
  return `${ERROR_MESSAGES.VALIDATION_FAILED['zh-CN']}：${parts.join('；')}`;
}

export function catalogueMessage(type: string, locale: Locale, status: number): string {
  const known = ERROR_MESSAGES[type];
  if (known) return known[locale];
  return ERROR_MESSAGES[status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'][locale];
}

/** The first supported language of an Accept-Language header, by quality; the default when none matches. */
export function negotiateLocale(header: string | string[] | undefined, fallback: Locale): Locale {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return fallback;
  const ranked = value
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return fallback;
}
