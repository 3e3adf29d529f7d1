import { Body, Controller, Delete, Get, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth';
import { ok } from '../common/envelope';
import { ApiErrors, ApiJsonOrForm, ApiOk } from '../common/openapi/api-contract';
import {
  EnrollmentQuery,
  EnrollmentUserCodeParam,
  ImportEnrollmentItem,
  EnrollmentView,
  PutEnrollmentDto,
  RemoveEnrollmentQuery,
} from './dto/enrollment.dto';
import type { EnrollmentActor } from './enrollment-entry';
import { EnrollmentsAdmin, IMPORT_LIMIT } from './enrollments-admin';

@ApiTags('administration')
@Controller('admin/enrollments')
@RequireScope('admin')
export class EnrollmentsController {
  constructor(private readonly admin: EnrollmentsAdmin) {}

  @Get()
  @ApiOperation({
    summary: 'Enrollments (which CA identity belongs to which UserCode), filtered by userCode or vendor',
  })
  @ApiOk([EnrollmentView], 'The enrollments')
  @ApiErrors([503, 'DATABASE_UNAVAILABLE'])
  async list(@Query() query: EnrollmentQuery) {
    return ok(await this.admin.list(query));
  }

  @Put(':userCode')
  @ApiOperation({ summary: 'Enroll (or re-enroll) the CA identity of a UserCode at one vendor' })
  @ApiJsonOrForm(PutEnrollmentDto, { coss: { value: { vendor: 'coss', identity: 'N001' } } })
  @ApiOk(EnrollmentView, 'The enrollment as stored')
  @ApiErrors([409, 'CONFLICT'], [503, 'DATABASE_UNAVAILABLE'])
  async put(@Param() params: EnrollmentUserCodeParam, @Body() dto: PutEnrollmentDto, @Req() request: FastifyRequest) {
    return ok(await this.admin.put(params.userCode, dto.vendor, dto.identity, actorOf(request)));
  }

  @Delete(':userCode')
  @ApiOperation({ summary: 'Remove the enrollments of a UserCode (of one vendor when named)' })
  @ApiOk(
    {
      type: 'object',
      required: ['userCode', 'removed'],
      properties: { userCode: { type: 'string' }, removed: { type: 'integer' } },
    },
    'How many enrollments were removed',
  )
  @ApiErrors([404, 'NOT_FOUND'], [503, 'DATABASE_UNAVAILABLE'])
  async remove(
    @Param() params: EnrollmentUserCodeParam,
    @Query() query: RemoveEnrollmentQuery,
    @Req() request: FastifyRequest,
  ) {
    return ok(await this.admin.remove(params.userCode, actorOf(request), query.vendor));
  }

  @Post('import')
  @ApiOperation({ summary: 'Enroll a staff list: a JSON array of {userCode, vendor, identity}' })
  @ApiExtraModels(ImportEnrollmentItem)
  @ApiBody({
    schema: {
      type: 'array',
      minItems: 1,
      maxItems: IMPORT_LIMIT,
      items: { $ref: getSchemaPath(ImportEnrollmentItem) },
    },
    examples: { staff: { value: [{ userCode: 'N001', vendor: 'coss', identity: 'N001' }] } },
  })
  @ApiOk(
    { type: 'object', required: ['imported'], properties: { imported: { type: 'integer' } } },
    'How many were enrolled',
    { status: 201 },
  )
  @ApiErrors([409, 'CONFLICT'], [503, 'DATABASE_UNAVAILABLE'])
  async import(@Body() body: unknown, @Req() request: FastifyRequest) {
    return ok(await this.admin.import(body, actorOf(request)));
  }
}

/** The administrator as the audit chain names her: the API key's id (never its secret) and the client address. */
function actorOf(request: FastifyRequest & { apiKeyId?: string }): EnrollmentActor {
  return { apiKeyId: request.apiKeyId, address: request.ip, requestId: String(request.id) };
}
