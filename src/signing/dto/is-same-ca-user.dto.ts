import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ID_PATTERN } from '../../common/ids';

export const USER_CODE = /^[A-Za-z0-9_.@-]{1,64}$/;
export const USER_CODE_MESSAGE = 'must be 1-64 letters, digits, _ . @ or -';

export class UserCodeParam {
  @ApiProperty({ example: 'N001', pattern: USER_CODE.source })
  @Matches(USER_CODE, { message: `UserCode ${USER_CODE_MESSAGE}` })
  UserCode: string;
}

export class IsSameCaUserDto {
  @ApiProperty({ description: 'The msspId token from getSignResult', pattern: ID_PATTERN.source })
  @IsString()
  @Matches(ID_PATTERN, { message: 'accessToken must be the msspId token (1-128 letters, digits, _ . : or -)' })
  accessToken: string;

  @ApiProperty({ description: 'The signDataId handle of the login', pattern: ID_PATTERN.source })
  @IsString()
  @Matches(ID_PATTERN, { message: 'signDataId must be 1-128 letters, digits, _ . : or -' })
  signDataId: string;
}
