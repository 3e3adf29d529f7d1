import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { dialectOf, EnvelopeDialect } from '../envelope';
import { ERROR_TYPES_BY_STATUS, ErrorStatus } from '../errors/error-types';
import {
  ERROR_ENVELOPE,
  errorDescription,
  errorResponseSchema,
  OK_ENVELOPE,
  schemaRules,
  vendorChoices,
} from './api-contract';

export interface ContractOptions {
  /** The enabled vendors that can do a capability; all enabled vendors without one. */
  vendors(capability?: string): string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function envelopes(): Record<string, SchemaObject> {
  const head = (dialect: EnvelopeDialect, message: string[]): Record<string, SchemaObject> => ({
    [dialect === 'coss' ? 'status' : 'code']: { type: 'integer', description: 'The HTTP status, repeated' },
    message: message.length > 0 ? { type: 'string', enum: message } : { type: 'string' },
  });
  const error = (dialect: EnvelopeDialect): SchemaObject => ({
    type: 'object',
    required: [dialect === 'coss' ? 'status' : 'code', 'message', 'data', 'error'],
    properties: {
      ...head(dialect, []),
      data: { type: 'object', nullable: true, enum: [null], description: 'Always null on an error' },
      error: { $ref: '#/components/schemas/ErrorBody' },
      requestId: { type: 'string', description: 'The x-request-id of this answer' },
    },
  });
  return {
    MnisOkEnvelope: {
      type: 'object',
      required: ['code', 'message', 'data'],
      properties: { ...head('mnis', ['OK']), data: {} },
    },
    CossOkEnvelope: {
      type: 'object',
      required: ['status', 'message', 'data'],
      properties: { ...head('coss', ['SUCCESS']), data: {} },
    },
    ErrorBody: {
      type: 'object',
      required: ['type'],
      description:
        'A stable error type and its details: fields (VALIDATION_FAILED), field, scope, vendor, operation, vendorCode, …',
      properties: {
        type: { type: 'string', enum: [...new Set(Object.values(ERROR_TYPES_BY_STATUS).flat())] },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'problems'],
            properties: { field: { type: 'string' }, problems: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
    MnisErrorEnvelope: error('mnis'),
    CossErrorEnvelope: error('coss'),
  };
}

/** Replaces the dialect placeholders by the envelope of the path's dialect, wherever they are. */
function setDialect(node: unknown, dialect: EnvelopeDialect): void {
  if (!node || typeof node !== 'object') return;
  const prefix = dialect === 'coss' ? 'Coss' : 'Mnis';
  const reference = node as Partial<ReferenceObject>;
  if (reference.$ref === `#/components/schemas/${OK_ENVELOPE}`)
    reference.$ref = `#/components/schemas/${prefix}OkEnvelope`;
  if (reference.$ref === `#/components/schemas/${ERROR_ENVELOPE}`)
    reference.$ref = `#/components/schemas/${prefix}ErrorEnvelope`;
  for (const child of Object.values(node)) setDialect(child, dialect);
}

function addError(
  operation: OperationObject,
  status: ErrorStatus,
  types: readonly string[] = ERROR_TYPES_BY_STATUS[status],
) {
  operation.responses[status] ??= {
    description: errorDescription(types),
    content: { 'application/json': { schema: errorResponseSchema(types) } },
  };
}

/** The request DTOs refuse unknown fields (the global pipe's forbidNonWhitelisted), nested ones included. */
function closeSchema(
  document: OpenAPIObject,
  node: SchemaObject | ReferenceObject | undefined,
  seen: Set<string>,
): void {
  if (!node) return;
  if ('$ref' in node) {
    const name = node.$ref.split('/').pop()!;
    if (seen.has(name)) return;
    seen.add(name);
    return closeSchema(document, document.components?.schemas?.[name], seen);
  }
  if (node.type !== 'object' && !node.properties) return;
  node.additionalProperties = false;
  for (const property of Object.values(node.properties ?? {})) {
    if ('$ref' in property) closeSchema(document, property, seen);
  }
}

/**
 * What every operation can answer because of the HTTP boundary rather than its own code: a body route answers 400
 * (malformed JSON, nesting, validation), 413 and 415; a route with path parameters answers 400 for a malformed URL and
 * 414 for a parameter past the length limit.
 */
function addBoundaryErrors(operation: OperationObject, document: OpenAPIObject): void {
  if (operation.requestBody) {
    addError(operation, 400);
    addError(operation, 413);
    addError(operation, 415);
    const content = 'content' in operation.requestBody ? operation.requestBody.content : {};
    const seen = new Set<string>();
    for (const media of Object.values(content)) closeSchema(document, media.schema, seen);
  }
  if ((operation.parameters ?? []).some((p) => 'in' in p && p.in === 'path')) {
    addError(operation, 400);
    addError(operation, 414);
  }
  if ((operation.parameters ?? []).some((p) => 'in' in p && p.in === 'query')) addError(operation, 400);
}

/** Error answers are always the JSON envelope, whatever the route produces when it succeeds. */
function jsonErrors(operation: OperationObject): void {
  for (const [status, response] of Object.entries(operation.responses)) {
    if (Number(status) < 400 || !response || !('content' in response) || !response.content) continue;
    const schema = Object.values(response.content)[0]?.schema;
    response.content = { 'application/json': { schema } };
  }
}

/** A form carries nested objects in qs brackets (caIdentityParamsMap[accessToken]=…), which is deepObject. */
function formEncoding(operation: OperationObject, document: OpenAPIObject): void {
  const body = operation.requestBody;
  const form = body && 'content' in body ? body.content['application/x-www-form-urlencoded'] : undefined;
  if (!form?.schema || !('$ref' in form.schema)) return;
  const schema = document.components?.schemas?.[form.schema.$ref.split('/').pop()!] as SchemaObject | undefined;
  const nested = Object.entries(schema?.properties ?? {}).filter(
    ([, p]) => '$ref' in p || p.type === 'object' || p.allOf !== undefined,
  );
  if (nested.length === 0) return;
  form.encoding = Object.fromEntries(nested.map(([name]) => [name, { style: 'deepObject', explode: true }]));
}

function setVendorChoices(schemas: Record<string, SchemaObject | ReferenceObject>, options: ContractOptions): void {
  for (const [name, capability] of vendorChoices()) {
    const schema = schemas[name] as SchemaObject | undefined;
    const provider = (schema?.properties?.provider ?? schema?.properties?.vendor) as SchemaObject | undefined;
    if (!provider) continue;
    delete provider.pattern;
    provider.enum = options.vendors(capability);
  }
}

/** Turns what the decorators declared into the exact contract: the dialects, the envelopes, the boundary's answers. */
export function finishContract(document: OpenAPIObject, options: ContractOptions): OpenAPIObject {
  document.components ??= {};
  const schemas = (document.components.schemas = { ...document.components.schemas, ...envelopes() });
  for (const [name, rule] of schemaRules()) if (schemas[name]) Object.assign(schemas[name], rule);
  setVendorChoices(schemas, options);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      addBoundaryErrors(operation, document);
      jsonErrors(operation);
      formEncoding(operation, document);
      setDialect(operation, dialectOf(path));
    }
  }
  return document;
}
