import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dialectOf, ErrorBody, errorEnvelope } from '../envelope';
import { REQUEST_ID_HEADER } from '../logging/logger.options';
import { databaseUnavailable, isDatabaseUnavailable } from './database.errors';
import { GatewayError, RateLimitedError, RequestValidationError } from './gateway.errors';
import { catalogueMessage, fieldsMessageZh, Locale, negotiateLocale } from './messages';
import { VendorError } from './vendor.errors';

interface Rendered {
  status: number;
  message: string;
  error: ErrorBody;
}

/** The one place where any error becomes the gateway's error envelope, in the caller's language. */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorEnvelopeFilter.name);

  constructor(private readonly defaultLocale: Locale = 'zh-CN') {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendError(reply, request, exception, this.defaultLocale, this.logger);
  }
}

/** Also used by the Fastify-level handlers (bad URLs, unknown methods) that run before Nest sees the request. */
export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  exception: unknown,
  defaultLocale: Locale,
  logger?: Logger,
): void {
  const rendered = render(exception, negotiateLocale(request.headers['accept-language'], defaultLocale));
  if (rendered.status >= 500 && logger) logFailure(logger, exception, request, rendered);
  const requestId = String(request.id ?? '');
  if (requestId) void reply.header(REQUEST_ID_HEADER, requestId);
  if (exception instanceof RateLimitedError) void reply.headers(exception.headers);
  void reply
    .status(rendered.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(
      errorEnvelope(dialectOf(request.url), rendered.status, rendered.message, rendered.error, requestId || undefined),
    );
}

function logFailure(logger: Logger, exception: unknown, request: FastifyRequest, rendered: Rendered): void {
  const route = `${request.method} ${request.routeOptions?.url ?? 'unmatched'}`;
  if (exception instanceof VendorError) {
    logger.warn(
      { route, type: rendered.error.type, ...exception.context, vendorMessage: undefined },
      exception.message,
    );
  } else if (exception instanceof GatewayError) {
    logger.warn({ route, type: rendered.error.type }, exception.message);
  } else {
    logger.error({ route, err: exception }, 'Unhandled error');
  }
}

/** English keeps the error's own message; Chinese comes from the catalogue by type (validation names the fields). */
export function render(exception: unknown, locale: Locale = 'en'): Rendered {
  if (isDatabaseUnavailable(exception)) return render(databaseUnavailable(exception), locale);
  if (exception instanceof GatewayError) {
    const zh =
      exception instanceof RequestValidationError
        ? fieldsMessageZh(exception.fields)
        : catalogueMessage(exception.type, 'zh-CN', exception.httpStatus);
    return {
      status: exception.httpStatus,
      message: locale === 'en' ? exception.message : zh,
      error: { type: exception.type, ...exception.details },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const text = messageOf(exception.getResponse(), exception.message);
    return fromStatus(status, text, locale, {});
  }
  const framework = exception as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof framework?.statusCode === 'number' && framework.statusCode >= 400 && framework.statusCode < 500) {
    const text = String(framework.message ?? '');
    return fromStatus(framework.statusCode, text, locale, { code: framework.code }, framework.code);
  }
  return { status: 500, message: catalogueMessage('INTERNAL_ERROR', locale, 500), error: { type: 'INTERNAL_ERROR' } };
}

/** Nest's and Fastify's own errors: the type by status; a few get a catalogue key of their own. */
function fromStatus(
  status: number,
  text: string,
  locale: Locale,
  details: Record<string, unknown>,
  code?: unknown,
): Rendered {
  const type = typeForStatus(status);
  const malformedJson = status === HttpStatus.BAD_REQUEST && /JSON/i.test(text);
  const key = code === 'FST_ERR_BAD_URL' ? 'MALFORMED_URL' : malformedJson ? 'MALFORMED_JSON' : type;
  // Fastify's texts for these quote the path or say little; the catalogue's say as much without echoing ids.
  const own = !CATALOGUE_ONLY.has(status) && key === type && text !== '';
  const english = malformedJson
    ? `Malformed JSON body: ${text.replace(/^Malformed JSON body: /, '')}`
    : own
      ? text
      : catalogueMessage(key, 'en', status);
  return {
    status,
    message: locale === 'en' ? english : catalogueMessage(key, locale, status),
    error: { type, ...details },
  };
}

function messageOf(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}

const CATALOGUE_ONLY = new Set([HttpStatus.PAYLOAD_TOO_LARGE, HttpStatus.URI_TOO_LONG]);

const TYPES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

function typeForStatus(status: number): string {
  return TYPES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}
