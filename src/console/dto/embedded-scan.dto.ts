import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class EmbeddedVendorDto {
  @ApiProperty({ enum: ['coss', 'anhui'] })
  @IsIn(['coss', 'anhui'])
  vendor: 'coss' | 'anhui';
}

/** What the console's simulator button sends: the QR content on screen and the simulated user who scans it. */
export class EmbeddedScanDto {
  @ApiProperty({ description: 'the QR content the gateway handed out' })
  @IsString()
  @Length(1, 4096)
  qrCode: string;

  @ApiProperty({ description: 'COSS: the nurse code; Anhui: a simulator user (sm2-nurse, rsa-nurse)', example: 'N001' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  user: string;

  @ApiPropertyOptional({ enum: ['approve', 'reject'] })
  @IsOptional()
  @IsIn(['approve', 'reject'])
  action?: 'approve' | 'reject';
}
