import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, Observable } from 'rxjs';
import { AuditLogStore } from '../audit-log.store';
import { AUDIT_READ, AuditReadSpec } from './audit-read.decorator';

/**
 * Appends the entry of an @AuditRead route once its handler has answered, and only then lets the answer go: a read
 * whose entry cannot be written is not served (it fails as the database would).
 */
@Injectable()
export class ReadAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly log: AuditLogStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditReadSpec | undefined>(AUDIT_READ, context.getHandler());
    if (!spec) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { apiKeyId?: string }>();
    return next.handle().pipe(
      mergeMap((answer: unknown) =>
        from(
          this.log
            .append({
              type: spec.type,
              outcome: 'READ',
              actor: { ...(request.apiKeyId && { apiKeyId: request.apiKeyId }), address: request.ip },
              subject: spec.subject(request, (answer as { data?: unknown } | null)?.data),
              requestId: String(request.id),
            })
            .then(() => answer),
        ),
      ),
    );
  }
}
