import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth';
import { ok } from '../common/envelope';
import { AuditRead } from '../evidence/audit/reads/audit-read.decorator';
import { ApiErrors, ApiJsonOrForm, ApiOk } from '../common/openapi/api-contract';
import { Authorizations } from '../login/authorizations';
import { IsSameCaUserDto, UserCodeParam } from './dto/is-same-ca-user.dto';
import { DocumentView, RecordView, VerifyView } from './dto/record.view';
import { RecordParams } from './dto/record-params.dto';
import { DocumentParams, RecordsQuery } from './dto/records.dto';
import { SignDocDto, SignDocView } from './dto/sign-doc.dto';
import { SignDocService } from './sign-doc.service';
import { SignatureRecords } from './signature-records.service';

const TOKEN = 'Hk3dPq8sVw2yZb5nRt7uXa9cEf1gJm4L';
const HANDLE = 'q3Vb0lM9sR2xW8nY4cT6eJ1hK5pA7dZf';

@ApiTags('document signing (MNIS)')
@Controller()
export class SigningController {
  constructor(
    private readonly authorizations: Authorizations,
    private readonly signing: SignDocService,
    private readonly records: SignatureRecords,
  ) {}

  @Post('WRMSMnis/doc/ca/isSameCaUser/:UserCode')
  @HttpCode(200)
  @ApiOperation({ summary: 'true: the nurse must scan again; false: her authorization can sign' })
  @ApiJsonOrForm(IsSameCaUserDto, { login: { value: { accessToken: TOKEN, signDataId: HANDLE } } })
  @ApiOk({ type: 'boolean' }, 'true when the nurse must scan again', {
    example: { code: 200, message: 'OK', data: false },
  })
  @ApiErrors(503)
  async isSameCaUser(@Param() params: UserCodeParam, @Body() dto: IsSameCaUserDto) {
    const result = await this.authorizations.check(dto.accessToken, dto.signDataId, params.UserCode);
    return ok(!result.usable);
  }

  @Post('windranger/doc/ca/signDocWithCa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Store a nursing document or risk assessment and sign it with the nurse’s CA authorization',
  })
  @ApiJsonOrForm(SignDocDto, {
    document: {
      summary: 'A nursing document',
      value: {
        caIdentityParamsMap: { accessToken: TOKEN },
        docData: { id: 'DOC-1', temperature: 36.8, pulse: 78 },
        type: 'document',
        userCode: 'N001',
      },
    },
  })
  @ApiOk(SignDocView, 'SIGNED at once (COSS), or PENDING_SCAN with a QR code for the nurse to scan (Anhui)')
  @ApiErrors(
    [401, 'RESCAN_REQUIRED'],
    [403, 'FORBIDDEN', 'CERT_REVOKED'],
    409,
    422,
    502,
    [503, 'DATABASE_UNAVAILABLE', 'CRL_STALE'],
    504,
  )
  async signDocWithCa(@Body() dto: SignDocDto) {
    return ok(await this.signing.sign(dto));
  }

  @Get('windranger/doc/ca/records')
  @RequireScope('read')
  @AuditRead('RecordsRead', (request, data) => {
    const query = request.query as RecordsQuery;
    const ids = Array.isArray(data) ? data.map((record: { recordId: string }) => record.recordId) : [];
    return { docId: query.docId, docType: query.type, ids };
  })
  @ApiOperation({ summary: 'The signature records of a document, newest first' })
  @ApiOk([RecordView], 'The records, newest first (an empty list for an unknown document)')
  @ApiErrors([503, 'DATABASE_UNAVAILABLE'])
  async list(@Query() query: RecordsQuery) {
    return ok(await this.records.list(query.docId, query.type));
  }

  @Post('windranger/doc/ca/records/:recordId/verify')
  @HttpCode(200)
  @RequireScope('read')
  @AuditRead('RecordVerified', (request) => ({ recordId: (request.params as RecordParams).recordId }))
  @ApiOperation({ summary: 'Check a stored signature again against the stored content and certificate' })
  @ApiOk(VerifyView, 'The outcome of the check (valid false with a reason is still a 200)')
  @ApiErrors([404, 'NOT_FOUND'], [503, 'DATABASE_UNAVAILABLE'])
  async verify(@Param() params: RecordParams) {
    return ok(await this.records.verify(params.recordId));
  }

  @Get('windranger/doc/:type/:id')
  @RequireScope('read')
  @AuditRead('DocumentRead', (request, data) => {
    const params = request.params as DocumentParams;
    const recordId = (data as { signature?: { recordId?: string } } | undefined)?.signature?.recordId;
    return { docId: params.id, docType: params.type, ...(recordId && { recordId }) };
  })
  @ApiOperation({ summary: 'A stored nursing document or risk assessment and its signature state' })
  @ApiOk(DocumentView, 'The document as MNIS last saved it, with its signature (null until signed)')
  @ApiErrors([404, 'NOT_FOUND'], [503, 'DATABASE_UNAVAILABLE'])
  async document(@Param() params: DocumentParams) {
    return ok(await this.records.document(params.type, params.id));
  }
}
