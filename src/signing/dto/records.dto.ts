import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { DOCUMENT_TYPE_NAMES, DocumentType } from '../schemas/nursing-record.schema';

const TYPE_MESSAGE = `type must be one of: ${DOCUMENT_TYPE_NAMES.join(', ')}`;
/** 1–128 characters (code points) on one line. */
const DOC_ID = /^[^\n\r\u2028\u2029]{1,128}$/u;

export class DocumentParams {
  @ApiProperty({ enum: DOCUMENT_TYPE_NAMES, description: 'document (护理文书) or riskAssessment (风险评估)' })
  @IsIn(DOCUMENT_TYPE_NAMES, { message: TYPE_MESSAGE })
  type: DocumentType;

  @ApiProperty({
    description: 'The id of the record (docData.id when it was signed)',
    pattern: DOC_ID.source,
    example: 'DOC-1',
  })
  @IsString()
  @Matches(DOC_ID, { message: 'id must be 1-128 characters' })
  id: string;
}

export class RecordsQuery {
  @ApiProperty({ description: 'The id of the record (docData.id)', pattern: DOC_ID.source, example: 'DOC-1' })
  @IsString()
  @Matches(DOC_ID, { message: 'docId must be 1-128 characters' })
  docId: string;

  @ApiProperty({ enum: DOCUMENT_TYPE_NAMES })
  @IsIn(DOCUMENT_TYPE_NAMES, { message: TYPE_MESSAGE })
  type: DocumentType;
}
