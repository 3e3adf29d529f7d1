import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/** The value is not below the sibling `field` (when that is given). */
function NotBelow(field: string, message: string) {
  return ValidateBy({
    name: 'notBelow',
    validator: {
      validate: (value: unknown, args) => {
        const other = (args?.object as Record<string, unknown>)[field];
        return typeof other !== 'number' || typeof value !== 'number' || value >= other;
      },
      defaultMessage: () => message,
    },
  });
}

/** `?fromSeq=&toSeq=`: both optional, whole numbers from 1, and toSeq not below fromSeq. */
export class VerifyAuditQuery {
  @ApiPropertyOptional({
    description: 'First seq to check (default 1); it must follow the stored entry before it',
    type: 'integer',
    minimum: 1,
    maximum: MAX_SEQ,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'fromSeq must be a whole number' })
  @Min(1, { message: 'fromSeq must be at least 1' })
  @Max(MAX_SEQ, { message: 'fromSeq is too large' })
  fromSeq?: number;

  @ApiPropertyOptional({
    description: 'Last seq to check (default: the head; not below fromSeq); entries missing up to it are MISSING',
    type: 'integer',
    minimum: 1,
    maximum: MAX_SEQ,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'toSeq must be a whole number' })
  @Min(1, { message: 'toSeq must be at least 1' })
  @Max(MAX_SEQ, { message: 'toSeq is too large' })
  @NotBelow('fromSeq', 'toSeq must not be below fromSeq')
  toSeq?: number;
}

export class AuditBreakView {
  @ApiProperty() seq: number;
  @ApiProperty({ enum: ['EDITED', 'MISSING', 'INSERTED', 'REORDERED', 'ANCHOR_MISMATCH'] }) reason: string;
}

/** The same report `npm run audit:verify` prints, without its macsChecked (the gateway always holds its keys). */
export class AuditVerifyView {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'entries read in the range' }) entries: number;
  @ApiProperty({ description: 'anchor entries among them' }) anchors: number;
  @ApiProperty({ type: AuditBreakView, nullable: true }) firstBroken: AuditBreakView | null;
}
