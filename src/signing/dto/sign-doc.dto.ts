import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsString, Matches, ValidateNested } from 'class-validator';
import { OptionalField } from '../../common/optional-field';
import { DOCUMENT_TYPE_NAMES } from '../schemas/nursing-record.schema';
import { USER_CODE, USER_CODE_MESSAGE } from './is-same-ca-user.dto';
import { ID_PATTERN } from '../../common/ids';

export class CaIdentityParams {
  @ApiProperty({ description: "The msspId token of the signing nurse's login", pattern: ID_PATTERN.source })
  @IsString()
  @Matches(ID_PATTERN, {
    message: 'caIdentityParamsMap.accessToken must be the msspId token (1-128 letters, digits, _ . : or -)',
  })
  accessToken: string;

  @ApiPropertyOptional({ description: 'The signDataId handle of her login (optional)', pattern: ID_PATTERN.source })
  @OptionalField()
  @IsString()
  @Matches(ID_PATTERN, { message: 'caIdentityParamsMap.signDataId must be 1-128 letters, digits, _ . : or -' })
  signDataId?: string;
}

export class SignDocDto {
  @ApiProperty({ type: CaIdentityParams })
  @IsDefined({ message: 'caIdentityParamsMap is required' })
  @IsObject({ message: 'caIdentityParamsMap must be an object' })
  @ValidateNested()
  @Type(() => CaIdentityParams)
  caIdentityParamsMap: CaIdentityParams;

  @ApiProperty({
    description:
      'The record, carrying its id (a non-empty string of at most 128 characters, or a number). MNIS may also send the JSON text of such an object as a string',
    // In allOf: a `required` list given to @ApiProperty itself would replace the property's own required flag.
    allOf: [
      {
        type: 'object',
        required: ['id'],
        properties: {
          id: { anyOf: [{ type: 'string', minLength: 1, maxLength: 128, pattern: '\\S' }, { type: 'number' }] },
        },
        additionalProperties: true,
      },
    ],
    example: { id: 'DOC-1', temperature: 36.8 },
  })
  @IsDefined({ message: 'docData is required' })
  docData: unknown;

  @ApiProperty({ enum: DOCUMENT_TYPE_NAMES })
  @IsIn(DOCUMENT_TYPE_NAMES, { message: `type must be one of: ${DOCUMENT_TYPE_NAMES.join(', ')}` })
  type: string;

  @ApiPropertyOptional({
    description: 'MNIS user code of the signing nurse; must match the authorization',
    pattern: USER_CODE.source,
  })
  @OptionalField()
  @Matches(USER_CODE, { message: `userCode ${USER_CODE_MESSAGE}` })
  userCode?: string;
}

export class SignDocView {
  @ApiProperty()
  docId: string;
  @ApiProperty({ enum: DOCUMENT_TYPE_NAMES })
  type: string;
  @ApiProperty({
    enum: ['SIGNED', 'PENDING_SCAN'],
    description: 'PENDING_SCAN (interactive vendors): the nurse scans qrCode; follow signDataId with getSignResult',
  })
  status: 'SIGNED' | 'PENDING_SCAN';
  @ApiProperty()
  recordId: string;
  @ApiPropertyOptional()
  signDataId?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  signedAt?: string;
  @ApiPropertyOptional({ description: 'PENDING_SCAN: the QR the nurse scans to sign this document' })
  qrCode?: string;
  @ApiPropertyOptional({ description: 'PENDING_SCAN: data:image/png;base64 URL of the QR code' })
  qrImage?: string;
}
