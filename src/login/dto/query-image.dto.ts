import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { ID_PATTERN } from '../../common/ids';

export class QueryImageDto {
  @ApiPropertyOptional({ description: 'The msspId token getSignResult returned at FINISH' })
  @ValidateIf((o: QueryImageDto) => o.UserId === undefined)
  @IsString()
  @Matches(ID_PATTERN, { message: 'userId must be the msspId token (1-128 letters, digits, _ . : or -)' })
  userId?: string;

  @ApiPropertyOptional({ description: "The seed's spelling of userId" })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: 'UserId must be the msspId token (1-128 letters, digits, _ . : or -)' })
  UserId?: string;
}

export class QueryImageView {
  userId: string;
  /** Base64 PNG. */
  image: string;
}

export class EndAutoSignDto {
  @ApiPropertyOptional({ description: 'The msspId token of the login that ends' })
  @IsString()
  @Matches(ID_PATTERN, { message: 'userId must be the msspId token (1-128 letters, digits, _ . : or -)' })
  userId: string;
}
