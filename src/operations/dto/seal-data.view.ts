import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SealData } from '../../ca/ca.types';

export class SealUserView {
  @ApiProperty()
  userId: string;
  @ApiPropertyOptional()
  userName?: string;
  @ApiPropertyOptional()
  phone?: string;
  @ApiPropertyOptional()
  applyDate?: string;
  @ApiPropertyOptional()
  overDate?: string;
}

export class SealView {
  @ApiProperty()
  name: string;
  @ApiPropertyOptional({ description: 'cm' })
  width?: string;
  @ApiPropertyOptional({ description: 'cm' })
  height?: string;
  @ApiPropertyOptional({ example: 'png' })
  ext?: string;
  @ApiProperty({ description: 'Base64 image' })
  image: string;
  @ApiPropertyOptional()
  description?: string;
  @ApiPropertyOptional()
  applyDate?: string;
  @ApiPropertyOptional()
  overDate?: string;
  @ApiPropertyOptional()
  type?: string;
}

/** The user and seal images of a certificate serial, as the vendor's sealData capability answers them. */
export class SealDataView implements SealData {
  @ApiProperty({ type: SealUserView, nullable: true })
  userInfo: SealUserView | null;
  @ApiProperty({ type: [SealView] })
  seals: SealView[];
}
