import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import type { LoginStatus } from '../schemas/ca-authorization.schema';
import { ID_PATTERN } from '../../common/ids';

export class GetSignResultDto {
  @ApiProperty({
    description: 'The handle startAutoSign (or a PENDING_SCAN answer) returned',
    example: 'q3Vb0lM9sR2xW8nY4cT6eJ1hK5pA7dZf',
  })
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
  authorizedUntil?: string;
  /** The effective end of the authorization (timeRegion clamped to CA_MAX_AUTHORIZATION_HOURS and the certificate). */
  authorizationEndsAt?: string;
  /** For document signing jobs (interactive vendors): the signature record and its document. */
  recordId?: string;
  docId?: string;
  type?: string;
  failure?: { type: string; message: string };
  /** A login REJECTED by the gateway rather than by the nurse: why (CERT_REVOKED, IDENTITY_MISMATCH). */
  reason?: string;
}
