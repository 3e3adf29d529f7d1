/**
 * A browser client for mnis-ca-gateway: start a QR login, watch it over Server-Sent Events, fetch the seal image,
 * sign a nursing document or risk assessment, and read records back. No dependencies; copy this one file.
 */

export type JobStatus = 'UNSIGN' | 'FINISH' | 'EXPIRED' | 'REJECTED' | 'FAILED' | string;
export type DocumentType = 'document' | 'riskAssessment';

export interface LoginStart {
  signDataId: string;
  qrCode: string;
  /** A PNG data URL of the QR code, ready for an <img>. */
  qrImage?: string;
}

export interface SignResult {
  signDataId: string;
  jobStatus: JobStatus;
  /** FINISH: this login's secret token for queryImage and signing; keep it in memory, never show or log it. */
  msspId?: string;
  userCode?: string;
  /** FINISH: when the authorization ends (the gateway clamps it to CA_MAX_AUTHORIZATION_HOURS). */
  authorizationEndsAt?: string;
  [field: string]: unknown;
}

export interface SignRequest {
  /** The msspId of the finished login (COSS `accessToken`). */
  accessToken: string;
  signDataId: string;
  userCode: string;
  type: DocumentType;
  /** Must carry `id`. */
  docData: Record<string, unknown> & { id: string };
}

export interface SignedDocument {
  docId: string;
  type: DocumentType;
  status: string;
  recordId?: string;
  [field: string]: unknown;
}

export interface SignatureRecord {
  recordId: string;
  status: string;
  userCode?: string;
  signResult?: string;
  signCert?: string;
  certSubject?: string;
  certSerial?: string;
  signedAt?: string;
  timestamp?: TimestampView | null;
  [field: string]: unknown;
}

/** The record's trusted timestamp (RFC 3161): PENDING until the TSA answers, then GRANTED with its genTime, or FAILED. */
export interface TimestampView {
  status: 'PENDING' | 'GRANTED' | 'FAILED' | string;
  genTime: string | null;
  reason?: string | null;
  [field: string]: unknown;
}

export interface Verification {
  recordId: string;
  valid: boolean;
  reason?: string;
  /** The instant the signature and certificate were checked at: the timestamp's genTime, else the signing time. */
  validAt?: string;
  assurance?: 'TIMESTAMPED' | 'SIGNING_TIME';
  notes?: string[];
  checkedAt: string;
}

/** A refusal from the gateway: the HTTP status and the error envelope's `type` and message. */
export class MnisCaError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'MnisCaError';
  }
}

export interface MnisCaClientOptions {
  /** The gateway's origin, e.g. `https://ca-gateway.hospital.local`; the page's own origin when omitted. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer …` on the routes that need a `read` or `admin` key. */
  apiKey?: string;
  /** Sent as `Accept-Language`: the language of the gateway's error messages (`zh-CN` or `en`). */
  locale?: string;
}

interface Envelope<T> {
  data: T;
  message?: string;
  error?: { type?: string };
}

export class MnisCaClient {
  private readonly baseUrl: string;
  apiKey: string | undefined;
  locale: string | undefined;

  constructor(options: MnisCaClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
    this.apiKey = options.apiKey;
    this.locale = options.locale;
  }

  /** Starts a QR login; show `qrImage` (or render `qrCode`) for the nurse to scan. */
  startLogin(input: { userCode?: string; timeRegion?: number; provider?: string } = {}): Promise<LoginStart> {
    return this.post('/coss/service/v1/startAutoSign', { userId: '', ...input });
  }

  getSignResult(signDataId: string): Promise<SignResult> {
    return this.post('/coss/service/v1/getSignResult', { signDataId });
  }

  /**
   * Follows a login or signing job: `onStatus` gets each state; the stream closes itself when the job ends
   * (any status but UNSIGN). Returns a function that stops watching.
   */
  watch(signDataId: string, onStatus: (result: SignResult) => void, onError?: (error: Event) => void): () => void {
    const source = new EventSource(
      `${this.baseUrl}/coss/service/v1/signResult/${encodeURIComponent(signDataId)}/events`,
    );
    source.addEventListener('status', (event) => {
      const result = JSON.parse((event as MessageEvent<string>).data) as SignResult;
      onStatus(result);
      if (result.jobStatus !== 'UNSIGN') source.close();
    });
    source.addEventListener('error', (event) => {
      // The server ends the stream after the last status; the browser reports that as an error and would reconnect.
      source.close();
      onError?.(event);
    });
    return () => source.close();
  }

  /** The nurse's seal image (base64 PNG) by her msspId. */
  async queryImage(userId: string): Promise<string> {
    const data = await this.post<{ image: string }>('/coss/service/v1/queryImage', { userId });
    return data.image;
  }

  sign(request: SignRequest): Promise<SignedDocument> {
    const { accessToken, signDataId, ...rest } = request;
    return this.post('/windranger/doc/ca/signDocWithCa', { ...rest, caIdentityParamsMap: { accessToken, signDataId } });
  }

  records(docId: string, type: DocumentType): Promise<SignatureRecord[]> {
    return this.request('GET', `/windranger/doc/ca/records?${new URLSearchParams({ docId, type })}`);
  }

  verify(recordId: string): Promise<Verification> {
    return this.request('POST', `/windranger/doc/ca/records/${encodeURIComponent(recordId)}/verify`);
  }

  /**
   * A SIGNED record's evidence ZIP (signed bytes, signature, certificates, timestamp, audit entries and VERIFY.md),
   * which verifies offline with the OpenSSL CLI. Needs a `read` key; 409 while the record is not SIGNED.
   */
  async evidence(recordId: string): Promise<{ zip: Blob; fileName: string }> {
    const path = `/windranger/doc/ca/records/${encodeURIComponent(recordId)}/evidence`;
    const response = await this.send('GET', path, undefined, 'application/zip');
    const disposition = response.headers.get('content-disposition') ?? '';
    return { zip: await response.blob(), fileName: /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${recordId}.zip` };
  }

  /** Any other gateway route, with the same key and error handling (e.g. `/admin/enrollments`). */
  get<T>(path: string): Promise<T> {
    return this.request('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const parsed = parse<T>(await (await this.send(method, path, body)).text());
    return (parsed && 'data' in parsed ? parsed.data : parsed) as T;
  }

  private async send(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (this.locale) headers['accept-language'] = this.locale;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.ok) return response;
    const text = await response.text();
    const parsed = parse<unknown>(text);
    throw new MnisCaError(response.status, parsed?.error?.type ?? `HTTP_${response.status}`, parsed?.message ?? text);
  }
}

function parse<T>(text: string): Envelope<T> | undefined {
  try {
    return text ? (JSON.parse(text) as Envelope<T>) : undefined;
  } catch {
    return undefined;
  }
}
