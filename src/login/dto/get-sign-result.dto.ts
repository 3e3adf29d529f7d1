import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import type { LoginStatus } from '../schemas/ca-authorization.schema';
import { ID_PATTERN } from '../../common/ids';

export class GetSignResultDto {
  @ApiProperty({
    description: 'The handle startAutoSign (or a PENDING_SCAN answer) returned',
    example: 'q3Vb0lM9sR2xW8nY4cT6eJ1hK5pA7dZf',
    pattern: ID_PATTERN.source,
  })
  @IsString()
  @Matches(ID_PATTERN, { message: 'signDataId must be 1-128 letters, digits, _ . : or -' })
  signDataId: string;
}

export class JobFailureView {
  @ApiProperty({ example: 'REJECTED' })
  type: string;
  @ApiProperty()
  message: string;
}

export class SignResultView {
  @ApiProperty()
  signDataId: string;
  @ApiProperty({
    enum: ['UNSIGN', 'FINISH', 'EXPIRED', 'REJECTED', 'FAILED'],
    description: 'Logins: UNSIGN, FINISH, EXPIRED, REJECTED; document signing jobs may also end FAILED',
  })
  jobStatus: LoginStatus | 'FAILED';
  @ApiPropertyOptional({ description: 'Base64 signature (FINISH)' })
  signResult?: string;
  @ApiPropertyOptional({ description: 'Base64 DER signer certificate (FINISH)' })
  signCert?: string;
  @ApiPropertyOptional({ description: 'The msspId token of a finished login: the key to sign with' })
  msspId?: string;
  @ApiProperty({ example: 'coss' })
  provider: string;
  @ApiPropertyOptional()
  userCode?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  authorizedUntil?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'The effective end of the authorization (timeRegion clamped to CA_MAX_AUTHORIZATION_HOURS and the certificate)',
  })
  authorizationEndsAt?: string;
  @ApiPropertyOptional({ description: 'Document signing jobs (interactive vendors): the signature record' })
  recordId?: string;
  @ApiPropertyOptional()
  docId?: string;
  @ApiPropertyOptional({ enum: ['document', 'riskAssessment'] })
  type?: string;
  @ApiPropertyOptional({ type: JobFailureView })
  failure?: JobFailureView;
  @ApiPropertyOptional({
    description: 'A login REJECTED by the gateway rather than by the nurse: why (CERT_REVOKED, IDENTITY_MISMATCH)',
  })
  reason?: string;
}
