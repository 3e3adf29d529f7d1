import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import type { LoginStatus } from '../schemas/ca-authorization.schema';
import { ID_PATTERN } from '../../common/ids';

export class GetSignResultDto {
  @ApiProperty({ example: 'SD_5f0c6a0e-8f7d-4a57-9b39-6c1f1b8c7b21' })
  @IsString()
  @Matches(ID_PATTERN, { message: 'signDataId must be 1-128 letters, digits, _ . : or -' })
  signDataId: string;
}

export class SignResultView {
  signDataId: string;
  /** Logins: UNSIGN, FINISH, EXPIRED, REJECTED; document signing jobs may also end FAILED. */
  jobStatus: LoginStatus | 'FAILED';
  signResult?: string;
  signCert?: string;
  msspId?: string;
  provider: string;
  userCode?: string;
  /** Why the gateway refused a login (REJECTED): IDENTITY_MISMATCH when someone other than the UserCode's nurse scanned. */
  reason?: string;
  authorizedUntil?: string;
  /** For document signing jobs (interactive vendors): the signature record and its document. */
  recordId?: string;
  docId?: string;
  type?: string;
  failure?: { type: string; message: string };
}
