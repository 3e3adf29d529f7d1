import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dialectOf, ErrorBody, errorEnvelope } from '../envelope';
import { databaseUnavailable, isDatabaseUnavailable } from './database.errors';
import { GatewayError, RateLimitedError } from './gateway.errors';
import { VendorError } from './vendor.errors';

interface Rendered {
  status: number;
  message: string;
  error: ErrorBody;
}

/** The one place where any error becomes the gateway's error envelope. */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorEnvelopeFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const rendered = render(exception);
    if (rendered.status >= 500) this.logFailure(exception, request, rendered);
    const requestId = String(request.id ?? '');
    if (exception instanceof RateLimitedError) void reply.headers(exception.headers);
    void reply
      .status(rendered.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(
        errorEnvelope(
          dialectOf(request.url),
          rendered.status,
          rendered.message,
          rendered.error,
          requestId || undefined,
        ),
      );
  }

  private logFailure(exception: unknown, request: FastifyRequest, rendered: Rendered): void {
    const route = `${request.method} ${request.routeOptions?.url ?? 'unmatched'}`;
    if (exception instanceof VendorError) {
      this.logger.warn(
        { route, type: rendered.error.type, ...exception.context, vendorMessage: undefined },
        exception.message,
      );
    } else if (exception instanceof GatewayError) {
      this.logger.warn({ route, type: rendered.error.type }, exception.message);
    } else {
      this.logger.error({ route, err: exception }, 'Unhandled error');
    }
  }
}

export function render(exception: unknown): Rendered {
  if (isDatabaseUnavailable(exception)) return render(databaseUnavailable(exception));
  if (exception instanceof GatewayError) {
    return {
      status: exception.httpStatus,
      message: exception.message,
      error: { type: exception.type, ...exception.details },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return {
      status,
      message: messageOf(exception.getResponse(), exception.message),
      error: { type: typeForStatus(status) },
    };
  }
  const framework = exception as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof framework?.statusCode === 'number' && framework.statusCode >= 400 && framework.statusCode < 500) {
    return {
      status: framework.statusCode,
      message: frameworkMessage(framework.statusCode, String(framework.message ?? '')),
      error: { type: typeForStatus(framework.statusCode), code: framework.code },
    };
  }
  return { status: 500, message: 'Internal error', error: { type: 'INTERNAL_ERROR' } };
}

function messageOf(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}

function frameworkMessage(status: number, message: string): string {
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) return 'Request body is too large';
  if (status === HttpStatus.BAD_REQUEST && /JSON/i.test(message)) return `Malformed JSON body: ${message}`;
  return message || 'Bad request';
}

const TYPES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

function typeForStatus(status: number): string {
  return TYPES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}
