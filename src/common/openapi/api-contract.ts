import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiProduces, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type {
  ExamplesObject,
  LinksObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERROR_TYPES_BY_STATUS, ErrorStatus, ErrorType } from '../errors/error-types';

/**
 * Placeholders the decorators point at; `finishContract` puts each operation's own dialect (COSS `status` on /coss/
 * paths, MNIS `code` elsewhere, as `dialectOf` decides at run time) in their place.
 */
export const OK_ENVELOPE = 'OkEnvelope';
export const ERROR_ENVELOPE = 'ErrorEnvelope';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

type Model = Type<unknown>;
/** A response DTO class, `[Class]` for an array of it, or a plain schema (`{ type: 'boolean' }`). */
export type DataSchema = Model | [Model] | SchemaObject;

function isModel(data: unknown): data is Model {
  return typeof data === 'function';
}

function models(data: DataSchema): Model[] {
  if (isModel(data)) return [data];
  if (Array.isArray(data)) return [data[0]];
  return [];
}

function dataSchema(data: DataSchema): SchemaObject {
  if (isModel(data)) return { $ref: getSchemaPath(data) } as SchemaObject;
  if (Array.isArray(data)) return { type: 'array', items: { $ref: getSchemaPath(data[0]) } };
  return data;
}

export interface OkOptions {
  /** 201 for a POST that creates (Nest's default for POST without @HttpCode). */
  status?: 200 | 201;
  /** A whole-answer example. */
  example?: unknown;
  /** What the answer leads to: OpenAPI links by name, e.g. `link('POST /coss/service/v1/getSignResult', …)`. */
  links?: LinksObject;
}

/** The success answer: the envelope of the route's dialect around `data`. */
export function ApiOk(data: DataSchema, description: string, options: OkOptions = {}) {
  return applyDecorators(
    ApiExtraModels(...models(data)),
    ApiResponse({
      status: options.status ?? 200,
      description,
      schema: {
        allOf: [ref(OK_ENVELOPE), { type: 'object', required: ['data'], properties: { data: dataSchema(data) } }],
      },
      ...(options.example !== undefined && { example: options.example }),
      ...(options.links && { links: options.links }),
    }),
  );
}

/**
 * A link to `route` ("POST /coss/service/v1/getSignResult") whose body or parameters take fields of this answer's
 * `data` (`{ signDataId: 'signDataId' }`), so that a client generator or a stateful fuzzer can follow it.
 */
export function link(route: string, fields: Record<string, string>, where: 'body' | 'path' | 'query' = 'body') {
  const [method, path] = route.split(' ');
  const values = Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [name, `$response.body#/data/${field}`]),
  );
  return {
    operationRef: `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}`,
    ...(where === 'body' ? { requestBody: values } : { parameters: values }),
  };
}

/** A status with all its types, or `[status, ...types]` when the route can answer only some of them. */
export type ErrorSpec = ErrorStatus | [ErrorStatus, ...ErrorType[]];

export function errorResponseSchema(types: readonly string[]): SchemaObject {
  return {
    allOf: [
      ref(ERROR_ENVELOPE),
      {
        type: 'object',
        properties: {
          error: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: [...types] } } },
        },
      },
    ],
  };
}

export function errorDescription(types: readonly string[]): string {
  return `Error envelope; error.type ${types.join(' | ')}`;
}

/** The error statuses a route answers, each with the envelope schema and its `error.type` values as an enum. */
export function ApiErrors(...specs: ErrorSpec[]) {
  return applyDecorators(
    ...specs.map((spec) => {
      const [status, ...only] = Array.isArray(spec) ? spec : [spec];
      const types = only.length > 0 ? only : ERROR_TYPES_BY_STATUS[status];
      return ApiResponse({ status, description: errorDescription(types), schema: errorResponseSchema(types) });
    }),
  );
}

/** The body, as JSON or as a form (qs brackets for nested fields), with whole-body examples. */
export function ApiJsonOrForm(type: Model, examples: ExamplesObject) {
  return applyDecorators(
    ApiConsumes('application/json', 'application/x-www-form-urlencoded'),
    ApiBody({ type, examples }),
  );
}

/** An SSE route: `text/event-stream`, each event `{ event, data }` described by its name and data schema. */
export function ApiEventStream(description: string, events: Record<string, DataSchema>) {
  const names = Object.keys(events);
  return applyDecorators(
    ApiExtraModels(...Object.values(events).flatMap(models)),
    ApiProduces('text/event-stream'),
    ApiResponse({
      status: 200,
      description: `${description}. Events: ${names.join(', ')}; a comment line (": keep-alive") every 15 s.`,
      content: {
        'text/event-stream': {
          schema: {
            type: 'array',
            format: 'event-stream',
            items: {
              oneOf: names.map((name) => ({
                type: 'object',
                required: ['event', 'data'],
                properties: { event: { type: 'string', enum: [name] }, data: dataSchema(events[name]) },
              })),
            },
          },
        },
      },
    }),
  );
}

const SCHEMA_RULES = new Map<string, SchemaObject>();

/** Keywords of a whole DTO that no property decorator can say (`anyOf` of required fields); finishContract adds them. */
export function ApiSchemaRule(rule: SchemaObject): ClassDecorator {
  return (target) => void SCHEMA_RULES.set(target.name, rule);
}

export function schemaRules(): ReadonlyMap<string, SchemaObject> {
  return SCHEMA_RULES;
}

const VENDOR_CHOICES = new Map<string, string | undefined>();

/**
 * The DTO's `provider` names one of the enabled vendors that can do `capability` (any enabled vendor when absent);
 * finishContract writes the list as an enum, since it depends on CA_PROVIDERS.
 */
export function ApiVendorChoice(capability?: string): ClassDecorator {
  return (target) => void VENDOR_CHOICES.set(target.name, capability);
}

export function vendorChoices(): ReadonlyMap<string, string | undefined> {
  return VENDOR_CHOICES;
}
