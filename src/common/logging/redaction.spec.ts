import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoLoggerOptions, redactPath } from './logger.options';
import { REDACTED, scrubText } from './redaction';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino(pinoLoggerOptions('info'), stream), lines };
}

describe('log redaction', () => {
  it('redacts sensitive keys at any depth', () => {
    const { logger, lines } = capture();
    logger.info(
      { accessToken: 'tok-123', vendor: { msspId: 'ab'.repeat(32), nested: { signResult: 'MEUCIQ' } } },
      'signed',
    );
    const line = lines.join('');
    expect(line).not.toContain('tok-123');
    expect(line).not.toContain('ab'.repeat(32));
    expect(line).not.toContain('MEUCIQ');
    expect(line).toContain(REDACTED);
    expect(line).toContain('"msg":"signed"');
  });

  it('scrubs secrets written into a message string', () => {
    const { logger, lines } = capture();
    logger.info('login ok for msspId=0123abcd and token: "36b6a611" with password=hunter2');
    const line = lines.join('');
    expect(line).not.toMatch(/0123abcd|36b6a611|hunter2/);
    expect(line).toContain('login ok for');
  });

  it('masks long token-like runs such as certificates and signatures', () => {
    const cert = 'MIIB' + 'A'.repeat(200);
    expect(scrubText(`cert is ${cert} end`)).toBe(`cert is ${REDACTED} end`);
  });

  it('masks request headers that carry credentials', () => {
    const { logger, lines } = capture();
    logger.info({ req: { headers: { authorization: 'Bearer abc.def', cookie: 'sid=1', host: 'pc-12' } } }, 'request');
    const line = lines.join('');
    expect(line).not.toMatch(/abc\.def|sid=1/);
    expect(line).toContain('pc-12');
  });

  it('keeps stack traces readable', () => {
    const { logger, lines } = capture();
    const err = new Error('boom');
    err.stack =
      'Error: boom\n    at /work/main/node_modules/mongoose/lib/helpers/query/castUpdate/somethingLong.js:1:1';
    logger.error({ err }, 'failed');
    expect(lines.join('')).toContain('castUpdate/somethingLong.js');
  });

  it('leaves ordinary text alone', () => {
    expect(scrubText('GET /health answered 200 in 3 ms')).toBe('GET /health answered 200 in 3 ms');
  });
});

describe(redactPath.name, () => {
  it('replaces the handle in the SSE and operation paths and leaves named routes alone', () => {
    expect(redactPath('/coss/service/v1/signResult/q3Vb0lM9sR2xW8nY4cT6eJ1hK5pA7dZf/events')).toBe(
      `/coss/service/v1/signResult/${REDACTED}/events`,
    );
    expect(redactPath('/ca/operations/q3Vb0lM9sR2xW8nY4cT6eJ1hK5pA7dZf')).toBe(`/ca/operations/${REDACTED}`);
    expect(redactPath('/ca/operations/abc/events')).toBe(`/ca/operations/${REDACTED}/events`);
    expect(redactPath('/ca/operations/seal-data')).toBe('/ca/operations/seal-data');
    expect(redactPath('/ca/operations/result')).toBe('/ca/operations/result');
    expect(redactPath('/coss/service/v1/getSignResult')).toBe('/coss/service/v1/getSignResult');
  });
});
