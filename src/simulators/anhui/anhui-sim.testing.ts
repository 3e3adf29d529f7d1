import type { AnhuiType } from '../../ca/vendors/anhui/anhui.wire';
import type { AnhuiSimulator } from './anhui-simulator';

// Specs read whatever the wire answered, loosely typed on purpose.
export type Json = Record<string, any>;

/** A relying party's form POST, as the spec's curl examples send it. */
export async function postForm(sim: AnhuiSimulator, path: string, fields: Record<string, string>): Promise<Json> {
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return (await response.json()) as Json;
}

export async function postJson(
  sim: AnhuiSimulator,
  path: string,
  body: unknown,
  method = 'POST',
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

export async function grantToken(sim: AnhuiSimulator): Promise<string> {
  const answer = await postForm(sim, '/grantToken', { accountName: 'mnis-sandbox', password: 'sandbox-only' });
  return answer.token as string;
}

/** Starts an operation and returns its guid and the QR content a page would render. */
export async function initJob(
  sim: AnhuiSimulator,
  token: string,
  type: AnhuiType,
  message: string,
): Promise<{ guid: string; qr: string }> {
  const answer = await postForm(sim, '/initMessage', {
    type: String(type),
    message,
    title: 'MNIS',
    certType: '0',
    token,
  });
  const guid = answer.guid as string;
  return { guid, qr: JSON.stringify({ guid, url: sim.url, city: 'P3401000001' }) };
}

export async function result(sim: AnhuiSimulator, token: string, guid: string): Promise<Json> {
  const response = await fetch(`${sim.url}/getCaMessageResult?${new URLSearchParams({ guid, token })}`);
  return (await response.json()) as Json;
}

export async function getJson(sim: AnhuiSimulator, path: string): Promise<Json> {
  return (await (await fetch(`${sim.url}${path}`)).json()) as Json;
}
