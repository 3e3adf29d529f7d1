import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/openapi/api-contract';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DatabaseUnavailableError } from '../common/errors';
import { MongoPingIndicator } from './mongo-ping.indicator';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongoPingIndicator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({
    description: 'The process answers (no envelope)',
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
  })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: the database answers a ping' })
  @ApiOkResponse({
    description: 'The database answered (the terminus health-check result, no envelope)',
    schema: {
      type: 'object',
      required: ['status'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        info: { type: 'object', additionalProperties: true },
        error: { type: 'object', additionalProperties: true },
        details: { type: 'object', additionalProperties: true },
      },
    },
  })
  @ApiErrors([503, 'DATABASE_UNAVAILABLE'])
  async ready() {
    try {
      return await this.health.check([() => this.mongo.ping('mongodb', 1500)]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const checks = error.getResponse() as { details?: unknown };
      throw new DatabaseUnavailableError('The database did not answer a ping', { checks: checks.details });
    }
  }
}
