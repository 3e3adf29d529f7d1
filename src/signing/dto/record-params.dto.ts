import { IsString, Matches } from 'class-validator';

/** A signature record's id in a path: the 24 hex digits of its ObjectId. */
export class RecordParams {
  @IsString() @Matches(/^[0-9a-f]{24}$/i, { message: 'recordId must be a 24-character hex id' }) recordId: string;
}
