import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERROR_TYPES_BY_STATUS } from '../errors/error-types';

/** `event: error`: a poll failed (the stream goes on and polls again). */
export const STREAM_ERROR: SchemaObject = {
  type: 'object',
  required: ['type', 'message'],
  properties: {
    type: { type: 'string', enum: [...new Set([...Object.values(ERROR_TYPES_BY_STATUS).flat(), 'INTERNAL_ERROR'])] },
    message: { type: 'string' },
  },
};

/** `event: end`: the last event when the server shuts down. */
export const STREAM_END: SchemaObject = {
  type: 'object',
  required: ['reason'],
  properties: { reason: { type: 'string', enum: ['SHUTDOWN'] } },
};
