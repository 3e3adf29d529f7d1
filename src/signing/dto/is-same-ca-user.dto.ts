import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ID_PATTERN } from '../../common/ids';

export const USER_CODE = /^[\w.@-]{1,64}$/;
export const USER_CODE_MESSAGE = 'must be 1-64 letters, digits, _ . @ or -';

export class UserCodeParam {
  @ApiProperty({ example: 'N001' })
  @Matches(USER_CODE, { message: `UserCode ${USER_CODE_MESSAGE}` })
  UserCode: string;
}

export class IsSameCaUserDto {
  @ApiProperty({ description: 'The msspId token from getSignResult' })
  @IsString()
  @Matches(ID_PATTERN, { message: 'accessToken must be the msspId token (1-128 letters, digits, _ . : or -)' })
  accessToken: string;

  @ApiProperty({ description: 'The signDataId handle of the login' })
  @IsString()
  @Matches(ID_PATTERN, { message: 'signDataId must be 1-128 letters, digits, _ . : or -' })
  signDataId: string;
}
