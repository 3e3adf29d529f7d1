import { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyRequiredError, ScopeRequiredError } from '../common/errors';
import type { ApiKeyScope } from './api-keys.config';
import { ApiKeyring, grants } from './api-keyring';
import { REQUIRED_SCOPE } from './require-scope.decorator';

const BEARER = /^Bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i;

/** Routes without @RequireScope are open (the PC-facing ones carry their own per-login secrets). */
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keyring: ApiKeyring,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!scope || this.keyring.open) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { apiKeyId?: string }>();
    const header = request.headers.authorization;
    const secret = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const key = secret === undefined ? undefined : this.keyring.find(secret);
    if (!key) {
      context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', 'Bearer');
      throw new ApiKeyRequiredError('A valid API key is required (Authorization: Bearer <key>)');
    }
    request.apiKeyId = key.id;
    if (!grants(key, scope)) {
      throw new ScopeRequiredError(`API key "${key.id}" lacks the scope "${scope}"`, { scope });
    }
    return true;
  }
}
