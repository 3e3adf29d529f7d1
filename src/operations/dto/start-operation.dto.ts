import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { OptionalField } from '../../common/optional-field';
import { ApiVendorChoice } from '../../common/openapi/api-contract';
import { VENDOR_NAME } from '../../config';
import { base64Length, BASE64_PATTERN, DOCUMENT_HASH_PATTERN, isBase64, isDocumentHash } from '../document-hash';
import { ID_PATTERN } from '../../common/ids';

export const PLAINTEXT_MAX_BYTES = 64 * 1024;
const CA_SERIAL = /^[A-Za-z0-9_:.-]{1,128}$/;
export const CIPHERTEXT_MAX_BYTES = 96 * 1024;

function Satisfies(name: string, test: (value: unknown) => boolean, message: string): PropertyDecorator {
  return ValidateBy({ name, validator: { validate: test, defaultMessage: () => message } });
}

/** The vendor to ask; the first enabled vendor that can do the operation when absent. */
export class VendorChoiceDto {
  @ApiPropertyOptional({
    description: 'CA vendor to ask (one of CA_PROVIDERS); one that cannot do this answers 422 CAPABILITY_UNSUPPORTED',
    example: 'anhui',
    pattern: VENDOR_NAME.source,
  })
  @OptionalField()
  @IsString({ message: 'provider must be a string' })
  @Matches(VENDOR_NAME, { message: 'provider must be a vendor name such as coss or anhui' })
  provider?: string;
}

@ApiVendorChoice('encrypt')
export class EncryptDto extends VendorChoiceDto {
  @ApiProperty({
    description: 'UTF-8 text to encrypt for the certificate the nurse presents on her phone (1 byte to 64 KB of UTF-8)',
    minLength: 1,
    maxLength: PLAINTEXT_MAX_BYTES,
    example: '护理记录 DOC-1',
  })
  @IsString({ message: 'plaintext must be a string' })
  @MinLength(1, { message: 'plaintext must not be empty' })
  @Satisfies(
    'maxUtf8Bytes',
    (v) => typeof v === 'string' && Buffer.byteLength(v, 'utf8') <= PLAINTEXT_MAX_BYTES,
    'plaintext must be at most 64 KB of UTF-8',
  )
  plaintext: string;
}

@ApiVendorChoice('decrypt')
export class DecryptDto extends VendorChoiceDto {
  @ApiProperty({
    description: 'Base64 ciphertext made for the nurse’s certificate (SM2 C1C3C2 or RSA-OAEP-SHA256), at most 96 KB',
    pattern: BASE64_PATTERN,
    maxLength: base64Length(CIPHERTEXT_MAX_BYTES),
  })
  @Satisfies(
    'isBase64',
    (v) => isBase64(v, CIPHERTEXT_MAX_BYTES),
    'ciphertext must be canonical base64 of at most 96 KB',
  )
  ciphertext: string;
}

@ApiVendorChoice('seal')
export class SealDto extends VendorChoiceDto {
  @ApiProperty({
    description:
      'Hash of the PDF with the seal image merged in: 16-64 bytes as hex or base64; the phone signs this text as UTF-8',
    pattern: DOCUMENT_HASH_PATTERN,
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  @Satisfies('isDocumentHash', isDocumentHash, 'documentHash must be a 16-64 byte hash in hex or base64')
  documentHash: string;

  @ApiPropertyOptional({
    description: 'Name of the seal to use; the first seal the service offers when absent or not offered',
    example: '护理专用章',
    minLength: 1,
    maxLength: 64,
  })
  @OptionalField()
  @IsString({ message: 'sealName must be a string' })
  @MinLength(1, { message: 'sealName must not be empty' })
  @MaxLength(64, { message: 'sealName must be at most 64 characters' })
  sealName?: string;
}

export class UnsealDto {
  @ApiProperty({ description: 'The operationId (handle) the seal start answered', pattern: ID_PATTERN.source })
  @IsString({ message: 'sealOperationId must be a string' })
  @Matches(ID_PATTERN, { message: 'sealOperationId must be 1-128 letters, digits, _ . : or -' })
  sealOperationId: string;
}

export class OperationIdDto {
  @ApiProperty({
    description: 'The operationId (handle) a start answered; the guid in the QR code is not accepted',
    pattern: ID_PATTERN.source,
  })
  @IsString({ message: 'operationId must be a string' })
  @Matches(ID_PATTERN, { message: 'operationId must be 1-128 letters, digits, _ . : or -' })
  operationId: string;
}

@ApiVendorChoice('sealData')
export class SealDataDto extends VendorChoiceDto {
  @ApiProperty({
    description: 'Serial number of the nurse’s certificate (证书序列号)',
    example: '1A2B3C',
    pattern: CA_SERIAL.source,
  })
  @IsString({ message: 'caSerialId must be a string' })
  @Matches(CA_SERIAL, { message: 'caSerialId must be 1-128 letters, digits, _ : . or -' })
  caSerialId: string;
}
