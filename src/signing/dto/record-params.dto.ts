import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

const RECORD_ID = /^[0-9a-fA-F]{24}$/;

/** A signature record's id in a path: the 24 hex digits of its ObjectId. */
export class RecordParams {
  @ApiProperty({
    description: 'The recordId of a signature record',
    pattern: RECORD_ID.source,
    example: '0123456789abcdef01234567',
  })
  @IsString()
  @Matches(RECORD_ID, { message: 'recordId must be a 24-character hex id' })
  recordId: string;
}
