import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { OptionalField } from '../../common/optional-field';
import { ApiVendorChoice } from '../../common/openapi/api-contract';
import { VENDOR_NAME } from '../../config';
import { USER_CODE } from '../../signing/dto/is-same-ca-user.dto';

@ApiVendorChoice()
export class StartAutoSignDto {
  @ApiPropertyOptional({
    description:
      'Empty in the seed (UserId=空): any nurse may scan. The msspId token of a live login limits the QR code to that nurse (COSS).',
    example: '',
    maxLength: 128,
  })
  @OptionalField()
  @IsString()
  @MaxLength(128)
  userId?: string;

  @ApiPropertyOptional({ description: "The seed's spelling of userId (UserId=空)", example: '', maxLength: 128 })
  @OptionalField()
  @IsString()
  @MaxLength(128)
  UserId?: string;

  @ApiPropertyOptional({
    description: 'How long the signing authorization lasts, in CA_TIME_REGION_UNIT (default minutes)',
    example: 720,
    type: 'integer',
    minimum: 1,
    maximum: 10_000_000,
  })
  @OptionalField()
  // Forms carry numbers as text; only digits become a number, so that true or [5] stay refused.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  timeRegion?: number;

  @ApiPropertyOptional({
    description: 'MNIS user code of the nurse at the PC; bound to the authorization',
    example: 'N001',
    pattern: USER_CODE.source,
  })
  @OptionalField()
  @IsString()
  @Matches(USER_CODE, { message: 'userCode must be 1-64 letters, digits, _ . @ or -' })
  userCode?: string;

  @ApiPropertyOptional({
    description: 'CA vendor (one of CA_PROVIDERS); CA_DEFAULT_PROVIDER when absent',
    example: 'coss',
    pattern: VENDOR_NAME.source,
  })
  @OptionalField()
  @IsString()
  @Matches(VENDOR_NAME, { message: 'provider must be a vendor name such as coss or anhui' })
  provider?: string;
}

export class StartAutoSignView {
  @ApiProperty({ description: 'The handle the PC follows the login by (getSignResult, the event stream)' })
  signDataId: string;
  @ApiProperty({ description: 'The QR content from the vendor' })
  qrCode: string;
  @ApiProperty({
    description: 'data:image/png;base64 URL of the rendered QR code',
    example: 'data:image/png;base64,iVBOR…',
  })
  qrImage: string;
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
  @ApiProperty({ example: 'coss' })
  provider: string;
}
