import { JsonTooDeepError, RequestValidationError } from '../common/errors';
import { DEFAULT_JSON_MAX_DEPTH, jsonDeeperThan } from '../common/http/json-depth';

export interface ParsedDocData {
  id: string;
  content: Record<string, unknown>;
}

/** docData arrives as an object or as a JSON string (MNIS sends both); either way it must be a record with an id. */
export function parseDocData(docData: unknown): ParsedDocData {
  let value = docData;
  if (typeof value === 'string') {
    // The body parser bounds the nesting of the body itself; a string carrying JSON is bounded here.
    if (jsonDeeperThan(value, DEFAULT_JSON_MAX_DEPTH)) throw new JsonTooDeepError(DEFAULT_JSON_MAX_DEPTH);
    try {
      value = JSON.parse(value);
    } catch {
      throw invalid('docData', 'docData must be a JSON object or a string holding one');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('docData', 'docData must be a JSON object (or a JSON string of one) carrying its id');
  }
  const content = value as Record<string, unknown>;
  const id = content.id;
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '' || [...String(id)].length > 128) {
    throw invalid('docData.id', 'docData.id must be a non-empty string or number of at most 128 characters');
  }
  return { id: String(id), content };
}

function invalid(field: string, problem: string): RequestValidationError {
  return new RequestValidationError([{ field, problems: [problem] }]);
}
