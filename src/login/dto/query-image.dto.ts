import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, ValidateIf } from 'class-validator';
import { ApiSchemaRule } from '../../common/openapi/api-contract';
import { ID_PATTERN } from '../../common/ids';

@ApiSchemaRule({ anyOf: [{ required: ['userId'] }, { required: ['UserId'] }] })
export class QueryImageDto {
  @ApiPropertyOptional({
    description: 'The msspId token getSignResult returned at FINISH (this or UserId is required)',
    pattern: ID_PATTERN.source,
  })
  @ValidateIf((o: QueryImageDto) => o.userId !== undefined || o.UserId === undefined)
  @IsString()
  @Matches(ID_PATTERN, { message: 'userId must be the msspId token (1-128 letters, digits, _ . : or -)' })
  userId?: string;

  @ApiPropertyOptional({ description: "The seed's spelling of userId", pattern: ID_PATTERN.source })
  @ValidateIf((o: QueryImageDto) => o.UserId !== undefined)
  @IsString()
  @Matches(ID_PATTERN, { message: 'UserId must be the msspId token (1-128 letters, digits, _ . : or -)' })
  UserId?: string;
}

export class QueryImageView {
  @ApiProperty()
  userId: string;
  @ApiProperty({ description: 'Base64 PNG' })
  image: string;
}

export class EndAutoSignDto {
  @ApiProperty({ description: 'The msspId token of the login that ends', pattern: ID_PATTERN.source })
  @IsString()
  @Matches(ID_PATTERN, { message: 'userId must be the msspId token (1-128 letters, digits, _ . : or -)' })
  userId: string;
}

export class EndAutoSignView {
  @ApiProperty()
  userId: string;
  @ApiProperty({ type: 'integer', description: 'How many live authorizations of this login were ended (0 or 1)' })
  ended: number;
}
