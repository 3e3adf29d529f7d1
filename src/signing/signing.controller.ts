import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth';
import { IsIn, IsString, Matches } from 'class-validator';
import { ok } from '../common/envelope';
import { AuditRead } from '../evidence/audit/reads/audit-read.decorator';
import { Authorizations } from '../login/authorizations';
import { IsSameCaUserDto, UserCodeParam } from './dto/is-same-ca-user.dto';
import { RecordParams } from './dto/record-params.dto';
import { SignDocDto } from './dto/sign-doc.dto';
import { DOCUMENT_TYPE_NAMES, DocumentType } from './schemas/nursing-record.schema';
import { SignDocService } from './sign-doc.service';
import { SignatureRecords } from './signature-records.service';

const TYPE_MESSAGE = `type must be one of: ${DOCUMENT_TYPE_NAMES.join(', ')}`;
const DOC_ID = /^.{1,128}$/;

class DocumentParams {
  @IsIn(DOCUMENT_TYPE_NAMES, { message: TYPE_MESSAGE }) type: DocumentType;
  @IsString() @Matches(DOC_ID, { message: 'id must be 1-128 characters' }) id: string;
}

class RecordsQuery {
  @IsString() @Matches(DOC_ID, { message: 'docId must be 1-128 characters' }) docId: string;
  @IsIn(DOCUMENT_TYPE_NAMES, { message: TYPE_MESSAGE }) type: DocumentType;
}

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
  async isSameCaUser(@Param() params: UserCodeParam, @Body() dto: IsSameCaUserDto) {
    const result = await this.authorizations.check(dto.accessToken, dto.signDataId, params.UserCode);
    return ok(!result.usable);
  }

  @Post('windranger/doc/ca/signDocWithCa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Store a nursing document or risk assessment and sign it with the nurse’s CA authorization',
  })
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
  async list(@Query() query: RecordsQuery) {
    return ok(await this.records.list(query.docId, query.type));
  }

  @Post('windranger/doc/ca/records/:recordId/verify')
  @HttpCode(200)
  @RequireScope('read')
  @AuditRead('RecordVerified', (request) => ({ recordId: (request.params as RecordParams).recordId }))
  @ApiOperation({ summary: 'Check a stored signature again against the stored content and certificate' })
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
  async document(@Param() params: DocumentParams) {
    return ok(await this.records.document(params.type, params.id));
  }
}
