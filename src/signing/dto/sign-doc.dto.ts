import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { DOCUMENT_TYPE_NAMES } from '../schemas/nursing-record.schema';
import { USER_CODE, USER_CODE_MESSAGE } from './is-same-ca-user.dto';
import { ID_PATTERN } from '../../common/ids';

export class CaIdentityParams {
  @ApiProperty({ description: "The msspId token of the signing nurse's login" })
  @IsString()
  @Matches(ID_PATTERN, {
    message: 'caIdentityParamsMap.accessToken must be the msspId token (1-128 letters, digits, _ . : or -)',
  })
  accessToken: string;

  @ApiPropertyOptional({ description: 'The signDataId handle of her login (optional)' })
  @IsOptional()
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
    description: 'The record: a JSON object or a JSON string, carrying its id',
    example: { id: 'DOC-1', temperature: 36.8 },
  })
  @IsDefined({ message: 'docData is required' })
  docData: unknown;

  @ApiProperty({ enum: DOCUMENT_TYPE_NAMES })
  @IsIn(DOCUMENT_TYPE_NAMES, { message: `type must be one of: ${DOCUMENT_TYPE_NAMES.join(', ')}` })
  type: string;

  @ApiPropertyOptional({ description: 'MNIS user code of the signing nurse; must match the authorization' })
  @IsOptional()
  @Matches(USER_CODE, { message: `userCode ${USER_CODE_MESSAGE}` })
  userCode?: string;
}

export class SignDocView {
  docId: string;
  type: string;
  status: 'SIGNED' | 'PENDING_SCAN';
  recordId: string;
  signDataId?: string;
  signedAt?: string;
  /** For PENDING_SCAN: the QR the nurse scans to sign this document, followed through getSignResult/SSE. */
  qrCode?: string;
  qrImage?: string;
}
