import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { VENDOR_NAME } from '../../config';

export class StartAutoSignDto {
  @ApiPropertyOptional({
    description:
      'Empty in the seed (UserId=空): any nurse may scan. The msspId token of a live login limits the QR code to that nurse (COSS).',
    example: '',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  userId?: string;

  @ApiPropertyOptional({ description: "The seed's spelling of userId (UserId=空)", example: '' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  UserId?: string;

  @ApiPropertyOptional({
    description: 'How long the signing authorization lasts, in CA_TIME_REGION_UNIT (default minutes)',
    example: 720,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  timeRegion?: number;

  @ApiPropertyOptional({
    description: 'MNIS user code of the nurse at the PC; bound to the authorization',
    example: 'N001',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.@-]{1,64}$/, { message: 'userCode must be 1-64 letters, digits, _ . @ or -' })
  userCode?: string;

  @ApiPropertyOptional({
    description: 'CA vendor (one of CA_PROVIDERS); CA_DEFAULT_PROVIDER when absent',
    example: 'coss',
  })
  @IsOptional()
  @IsString()
  @Matches(VENDOR_NAME, { message: 'provider must be a vendor name such as coss or anhui' })
  provider?: string;
}

export class StartAutoSignView {
  signDataId: string;
  /** The QR content from the vendor. */
  qrCode: string;
  /** data:image/png;base64 URL of the rendered QR code. */
  qrImage: string;
  expiresAt: string;
  provider: string;
}
