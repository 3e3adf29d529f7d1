import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { VENDOR_NAME } from '../../config';
import { ApiSchemaRule, ApiVendorChoice } from '../../common/openapi/api-contract';
import { USER_CODE, USER_CODE_MESSAGE } from '../../signing/dto/is-same-ca-user.dto';

const VENDOR_MESSAGE = 'vendor must be a vendor name such as coss or anhui';

export class EnrollmentQuery {
  @ApiPropertyOptional({ example: 'N001', pattern: USER_CODE.source })
  @IsOptional()
  @Matches(USER_CODE, { message: `userCode ${USER_CODE_MESSAGE}` })
  userCode?: string;

  @ApiPropertyOptional({ example: 'coss', pattern: VENDOR_NAME.source })
  @IsOptional()
  @Matches(VENDOR_NAME, { message: VENDOR_MESSAGE })
  vendor?: string;
}

export class EnrollmentUserCodeParam {
  @ApiProperty({ example: 'N001', pattern: USER_CODE.source })
  @Matches(USER_CODE, { message: `userCode ${USER_CODE_MESSAGE}` })
  userCode: string;
}

export class RemoveEnrollmentQuery {
  @ApiPropertyOptional({
    description: 'Only this vendor’s enrollment; every vendor’s when absent',
    example: 'coss',
    pattern: VENDOR_NAME.source,
  })
  @IsOptional()
  @Matches(VENDOR_NAME, { message: VENDOR_MESSAGE })
  vendor?: string;
}

@ApiVendorChoice()
export class PutEnrollmentDto {
  @ApiProperty({ example: 'coss' })
  @IsString()
  @Matches(VENDOR_NAME, { message: VENDOR_MESSAGE })
  vendor: string;

  @ApiProperty({
    description:
      'COSS: the vendor user id. Anhui: "<certificate subject with every attribute> | issuer: <issuer>", as listed',
    minLength: 1,
    maxLength: 2048,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  identity: string;
}

@ApiVendorChoice()
@ApiSchemaRule({ additionalProperties: false })
export class ImportEnrollmentItem extends PutEnrollmentDto {
  @ApiProperty({ example: 'N001', pattern: USER_CODE.source })
  @IsString()
  @Matches(USER_CODE, { message: `userCode ${USER_CODE_MESSAGE}` })
  userCode: string;
}

export class EnrollmentView {
  vendor: string;
  userCode: string;
  identity: string;
  /** first-use (enrolled by the UserCode's first verified login: review it), admin or import. */
  source: string;
  createdAt?: string;
  updatedAt?: string;
}
