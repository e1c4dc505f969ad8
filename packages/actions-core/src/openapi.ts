import { dereference, validate } from '@readme/openapi-parser';
import { parse as parseYaml } from 'yaml';
import {
  type ActionAuth,
  type ActionDefinition,
  type ActionHeader,
  type ActionParameter,
  HTTP_METHODS,
  type HttpMethod,
  LIMITS,
  METHODS_WITH_BODY,
  type ParameterType,
} from './action';
import { HEADER_TOKEN, isForbiddenHeader } from './http';
import { validateAction } from './validate';

/**
 * OpenAPI import (issue 14's contract): an OpenAPI 3.0 / 3.1 or Swagger 2.0 document, as JSON or YAML
 * text or an object, becomes ordinary `ActionDefinition`s that pass `validateAction`; what cannot be
 * carried over is skipped or left out with a reason, never guessed. Isomorphic: YAML is read by
 * `yaml`, the document checked and its internal `$ref`s resolved by `@readme/openapi-parser`.
 * External references are replaced before the parser sees the document, and the parser is told not
 * to resolve them, so an import never reads a file or opens a connection (a test proves it).
 */

export type ImportedOperation =
  | { operationId: string | null; method: string; path: string; action: ActionDefinition; warnings: string[] }
  | { operationId: string | null; method: string; path: string; skipped: string };

export type OpenApiImport =
  | { ok: true; title: string; operations: ImportedOperation[]; warnings: string[] }
  | { ok: false; errors: { message: string }[] };

export interface OpenApiImportOptions {
  /** Import only the operations with these operationIds. */
  only?: string[];
}

type Json = Record<string, unknown>;
const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Schema-rule findings the parser would refuse a document for; real published documents have them. */
const LENIENT_RULES = [
  'array-without-items',
  'duplicate-non-request-body-parameters',
  'duplicate-operation-id',
  'invalid-security-scheme-properties',
  'non-optional-path-parameters',
  'path-parameters-not-in-parameters',
  'path-parameters-not-in-path',
  'unknown-required-schema-property',
] as const;
const MAX_DOCUMENT_WARNINGS = 5;
/** Stands where an external `$ref` was (see `withoutExternalRefs`). */
const EXTERNAL = 'x-aihio-external-ref';

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const fail = (message: string): OpenApiImport => ({ ok: false, errors: [{ message }] });

export async function importOpenApi(
  source: string | object,
  options: OpenApiImportOptions = {},
): Promise<OpenApiImport> {
  try {
    return await importDocument(source, options);
  } catch (error) {
    // Never throws: a parser failure we did not foresee is still an answer a person can read.
    return fail(
      `The document could not be imported: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The document as an object, from JSON or YAML text (YAML is a superset of JSON). */
function readSource(
  source: string | object,
): { ok: true; document: unknown } | { ok: false; message: string } {
  if (typeof source !== 'string') return { ok: true, document: source };
  if (source.trim() === '') return { ok: false, message: 'The document is empty.' };
  try {
    // Duplicate keys are a harmless mistake in real documents (the last one wins, as in JSON.parse);
    // the alias cap keeps a "billion laughs" document from expanding without bound.
    return { ok: true, document: parseYaml(source, { uniqueKeys: false, maxAliasCount: 1000 }) };
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
    return { ok: false, message: `The text is neither JSON nor YAML: ${reason}` };
  }
}

/** What kind of document this is, or why it cannot be imported. */
function identify(
  document: unknown,
): { ok: true; version: '2.0' | '3.0' | '3.1' } | { ok: false; message: string } {
  if (!isObject(document)) {
    return {
      ok: false,
      message: 'This is not an OpenAPI document: expected an object with “openapi” or “swagger”.',
    };
  }
  const openapi = document.openapi;
  if (typeof openapi === 'string' && /^3\.0(\.|$)/.test(openapi)) return { ok: true, version: '3.0' };
  if (typeof openapi === 'string' && /^3\.1(\.|$)/.test(openapi)) return { ok: true, version: '3.1' };
  if (document.swagger === '2.0' || document.swagger === 2) return { ok: true, version: '2.0' };
  if (typeof openapi === 'string') {
    return {
      ok: false,
      message: `OpenAPI ${openapi} is not supported: import an OpenAPI 3.0, 3.1 or Swagger 2.0 document.`,
    };
  }
  if ('asyncapi' in document) {
    return {
      ok: false,
      message:
        'This is an AsyncAPI document (event-driven messaging), not an OpenAPI description of HTTP calls.',
    };
  }
  if ('swaggerVersion' in document || 'apiVersion' in document) {
    return {
      ok: false,
      message:
        'This is a Swagger 1.x document, which is not supported: convert it to OpenAPI 3 (for example with swagger2openapi) and import that.',
    };
  }
  return {
    ok: false,
    message: 'This is not an OpenAPI document: it has no “openapi” or “swagger” version field.',
  };
}

/**
 * A copy of the document with every `$ref` that points outside it replaced by an empty schema, so
 * nothing downstream can read a file or fetch a URL. Returns the references it dropped.
 */
function withoutExternalRefs(document: Json): { document: Json; dropped: string[] } {
  const dropped = new Set<string>();
  const seen = new WeakMap<object, unknown>();
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const known = seen.get(value);
    if (known !== undefined) return known; // an object given twice (or a cycle) stays shared
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const item of value) out.push(copy(item));
      return out;
    }
    const ref = (value as Json).$ref;
    if (typeof ref === 'string' && !ref.startsWith('#')) {
      dropped.add(ref);
      // A marker, not a guess: whatever uses this schema is left out or skipped, saying why.
      const marker = { [EXTERNAL]: ref };
      seen.set(value, marker);
      return marker;
    }
    const out: Json = {};
    seen.set(value, out);
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: copy(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return { document: copy(document) as Json, dropped: [...dropped] };
}

const PARSER_OPTIONS = {
  resolve: { external: false },
  dereference: { circular: 'ignore' as const },
  validate: {
    rules: {
      openapi: Object.fromEntries(LENIENT_RULES.map((r) => [r, 'warning' as const])),
      swagger: Object.fromEntries(LENIENT_RULES.map((r) => [r, 'warning' as const])),
    },
  },
};

/**
 * @readme/openapi-parser 9 calls `Buffer.isBuffer` on what it parses (json-schema-ref-parser's
 * `isEmpty`), which throws in a browser where `Buffer` does not exist. Our documents are never
 * Buffers, so where there is none, a stand-in that says so is all the parser needs; it has no
 * `from`/`alloc`, so nothing can mistake the browser for Node. Node's own Buffer is left alone.
 */
function ensureBufferCheck(): void {
  const scope = globalThis as { Buffer?: unknown };
  if (scope.Buffer === undefined) {
    Object.defineProperty(scope, 'Buffer', {
      value: Object.freeze({ isBuffer: (_value: unknown) => false }),
      configurable: true,
      writable: false,
      enumerable: false,
    });
  }
}

async function importDocument(
  source: string | object,
  options: OpenApiImportOptions,
): Promise<OpenApiImport> {
  ensureBufferCheck();
  const read = readSource(source);
  if (!read.ok) return fail(read.message);
  const kind = identify(read.document);
  if (!kind.ok) return fail(kind.message);
  const warnings: string[] = [];
  const { document: local, dropped } = withoutExternalRefs(read.document as Json);
  for (const ref of dropped) {
    warnings.push(
      `The reference “${ref}” points outside the document and was not read (an import never reads files or fetches URLs).`,
    );
  }
  if (!isObject(local.paths) && !isObject(local.webhooks)) {
    return fail('The document has no “paths”: there are no operations to import.');
  }

  // Lenient: a schema violation becomes a warning; the operations are still read.
  try {
    const result = await validate(structuredClone(local) as never, PARSER_OPTIONS);
    const findings = result.valid ? result.warnings : [...result.errors, ...result.warnings];
    for (const finding of findings.slice(0, MAX_DOCUMENT_WARNINGS)) {
      warnings.push(
        `The document does not follow the ${kind.version === '2.0' ? 'Swagger' : 'OpenAPI'} schema here: ${firstLine(finding.message)}`,
      );
    }
    const more = findings.length - MAX_DOCUMENT_WARNINGS + (result.valid ? 0 : result.additionalErrors);
    if (more > 0) warnings.push(`… and ${more} more findings of the schema check.`);
  } catch (error) {
    warnings.push(
      `The schema check could not run: ${firstLine(error instanceof Error ? error.message : String(error))}`,
    );
  }

  let api: Json;
  let circular = false;
  try {
    api = (await dereference(structuredClone(local) as never, {
      ...PARSER_OPTIONS,
      dereference: {
        circular: 'ignore',
        onCircular: () => {
          circular = true;
        },
      },
    })) as unknown as Json;
  } catch (error) {
    return fail(
      `The document's references could not be resolved: ${firstLine(error instanceof Error ? error.message : String(error))}`,
    );
  }
  if (circular)
    warnings.push(
      'Some schemas refer to themselves (circular); the parts of a request that use them are left out.',
    );

  const title = text(isObject(api.info) ? api.info.title : undefined) ?? 'Untitled API';
  const context = new ImportContext(api, kind.version);
  const only = options.only ? new Set(options.only) : null;
  const operations: ImportedOperation[] = [];
  const found = new Set<string>();

  for (const [path, item] of Object.entries(isObject(api.paths) ? api.paths : {})) {
    if (!isObject(item)) continue;
    for (const method of OPERATION_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const operationId = text(operation.operationId) ?? null;
      if (only && (operationId === null || !only.has(operationId))) continue;
      if (operationId) found.add(operationId);
      operations.push(context.importOperation(path, method, item, operation, operationId));
    }
  }
  // Webhooks (3.1) are calls the API makes to you: listed, never imported.
  if (!only && isObject(api.webhooks)) {
    for (const [name, item] of Object.entries(api.webhooks)) {
      if (!isObject(item)) continue;
      for (const method of OPERATION_METHODS) {
        const operation = item[method];
        if (!isObject(operation)) continue;
        operations.push({
          operationId: text(operation.operationId) ?? null,
          method: method.toUpperCase(),
          path: name,
          skipped: 'A webhook is a call the API makes to you, not an operation an agent can call.',
        });
      }
    }
  }
  for (const id of options.only ?? []) {
    if (!found.has(id)) warnings.push(`No operation has the operationId “${id}”.`);
  }
  return { ok: true, title, operations, warnings };
}

function firstLine(message: string): string {
  return (message.split('\n').find((l) => l.trim() !== '') ?? message).trim().slice(0, 300);
}

/** snake_case words of any name: `findPetsByID` → `find_pets_by_id`, `list-data-sets` → `list_data_sets`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A snake_case name that starts with a letter, within `max`, unique among `taken` (which it joins). */
function uniqueName(base: string, fallback: string, taken: Set<string>, max: number): string {
  let name = toSnakeCase(base) || fallback;
  if (!/^[a-z]/.test(name)) name = `${fallback}_${name}`;
  name = name.slice(0, max).replace(/_+$/, '');
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) {
    const suffix = `_${n}`;
    candidate = `${name.slice(0, max - suffix.length).replace(/_+$/, '')}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

function humanLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim();
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  return (label || name).slice(0, LIMITS.label);
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}

/** Why one operation is skipped: thrown inside `importOperation`, caught there. */
class Skip extends Error {}

interface Input {
  /** The exact name in the spec (query key, header name, body key). */
  specName: string;
  in: 'path' | 'query' | 'header' | 'body' | 'form';
  required: boolean;
  schema: unknown;
  description?: string | undefined;
}

interface Server {
  url: string | null;
  reason?: string;
}

/** Per-import state: the document, identifiers already given. */
class ImportContext {
  private readonly identifiers = new Set<string>();

  constructor(
    private readonly api: Json,
    private readonly version: '2.0' | '3.0' | '3.1',
  ) {}

  importOperation(
    path: string,
    method: string,
    item: Json,
    operation: Json,
    operationId: string | null,
  ): ImportedOperation {
    const base = { operationId, method: method.toUpperCase(), path };
    try {
      return { ...base, ...this.build(path, method, item, operation, operationId) };
    } catch (error) {
      if (error instanceof Skip) return { ...base, skipped: error.message };
      throw error;
    }
  }

  private build(
    path: string,
    method: string,
    item: Json,
    operation: Json,
    operationId: string | null,
  ): { action: ActionDefinition; warnings: string[] } {
    const warnings: string[] = [];
    const httpMethod = method.toUpperCase();
    if (!(HTTP_METHODS as readonly string[]).includes(httpMethod)) {
      throw new Skip(`${httpMethod} is not a method actions use (GET, POST, PUT, PATCH or DELETE).`);
    }
    const server = this.server(item, operation);
    if (server.url === null)
      throw new Skip(server.reason ?? 'The document names no https server for this operation.');

    const inputs = this.inputs(item, operation, httpMethod as HttpMethod, warnings);
    // A {name} in the path that no parameter describes still has to be filled: as text, said so.
    for (const match of path.matchAll(/\{([^}]+)\}/g)) {
      const name = match[1] as string;
      if (!inputs.list.some((i) => i.in === 'path' && i.specName === name)) {
        inputs.list.push({ specName: name, in: 'path', required: true, schema: { type: 'string' } });
        warnings.push(`The path parameter {${name}} is not described; it was added as text.`);
      }
    }
    const cookie = inputs.cookies;
    if (cookie.length > 0) {
      throw new Skip(`It takes a cookie parameter (${cookie.join(', ')}), which actions cannot send.`);
    }

    // Optional inputs are left out: the agent could not leave a required one empty, and sending a
    // made-up value would be a guess. Each one left out is named.
    const used: Input[] = [];
    for (const input of inputs.list) {
      if (input.required) used.push(input);
      else
        warnings.push(
          `Optional ${describeInput(input)} “${input.specName}” was left out; add it by hand if the agent needs it.`,
        );
    }

    const names = new Set<string>();
    const parameters: ActionParameter[] = [];
    const placeholder = new Map<Input, string>();
    for (const input of used) {
      const type = this.parameterType(input, warnings);
      const name = uniqueName(input.specName, 'value', names, LIMITS.parameterName);
      const hint = text(input.description);
      const parameter: ActionParameter = {
        name,
        label: humanLabel(input.specName),
        type: type.type,
        required: true,
      };
      if (type.choices) parameter.choices = type.choices;
      if (hint) parameter.hint = cut(hint, LIMITS.hint);
      parameters.push(parameter);
      placeholder.set(input, name);
    }
    if (parameters.length > LIMITS.parameters) {
      throw new Skip(`It needs ${parameters.length} inputs; an action has at most ${LIMITS.parameters}.`);
    }

    // URL: the server, then the path with {name} → {{parameter}}, then the required query keys.
    const pathInputs = new Map(used.filter((i) => i.in === 'path').map((i) => [i.specName, i]));
    const templatePath = path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
      const input = pathInputs.get(name);
      if (!input) throw new Skip(`The path parameter {${name}} could not be read.`);
      return `{{${placeholder.get(input)}}}`;
    });
    const query = used
      .filter((i) => i.in === 'query')
      .map((i) => `${encodeURIComponent(i.specName)}={{${placeholder.get(i)}}}`);
    const url = `${server.url.replace(/\/+$/, '')}/${templatePath.replace(/^\/+/, '')}${query.length ? `?${query.join('&')}` : ''}`;

    const headers: ActionHeader[] = [];
    for (const input of used.filter((i) => i.in === 'header')) {
      headers.push({ name: input.specName, value: `{{${placeholder.get(input)}}}` });
    }

    let body: string | null = null;
    const bodyInputs = used.filter((i) => i.in === 'body' || i.in === 'form');
    if (inputs.body) {
      if (inputs.body === 'form') {
        headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
        body = bodyInputs.map((i) => `${formKey(i.specName)}={{${placeholder.get(i)}}}`).join('&');
        if (body === '') {
          throw new Skip('Its form body has no required field to send.');
        }
      } else {
        headers.push({ name: 'Content-Type', value: 'application/json' });
        const members = bodyInputs.map((i) => {
          const name = placeholder.get(i) as string;
          const bare = ['number', 'integer', 'boolean'].includes(
            parameters.find((p) => p.name === name)?.type ?? '',
          );
          return `  ${JSON.stringify(i.specName)}: ${bare ? `{{${name}}}` : `"{{${name}}}"`}`;
        });
        body = members.length > 0 ? `{\n${members.join(',\n')}\n}` : '{}';
      }
    }
    if (this.answersJson(operation)) headers.push({ name: 'Accept', value: 'application/json' });

    const auth = this.auth(operation, headers, warnings);
    const identifier = uniqueName(
      operationId && toSnakeCase(operationId) !== ''
        ? operationId
        : `${method} ${path.replace(/\{([^}]+)\}/g, 'by $1')}`,
      'call',
      this.identifiers,
      LIMITS.identifier,
    );

    const action: ActionDefinition = {
      identifier,
      description: this.description(operation, httpMethod, path),
      method: httpMethod as HttpMethod,
      url,
      headers,
      body,
      parameters,
      auth,
      requireVerifiedIdentity: false,
      enabled: false,
    };
    const checked = validateAction(action);
    if (!checked.ok) {
      this.identifiers.delete(identifier);
      throw new Skip(
        `The action it would make is not valid: ${checked.errors.map((e) => e.message).join(' ')}`,
      );
    }
    return { action, warnings };
  }

  private description(operation: Json, method: string, path: string): string {
    const summary = text(operation.summary);
    const description = text(operation.description);
    const parts = [summary, description && description !== summary ? description : undefined].filter(Boolean);
    return cut(parts.length > 0 ? parts.join('\n\n') : `Calls ${method} ${path}.`, LIMITS.description);
  }

  /** The first https server: the operation's, else the path item's, else the document's. */
  private server(item: Json, operation: Json): Server {
    if (this.version === '2.0') return this.swaggerServer(operation);
    const lists = [operation.servers, item.servers, this.api.servers];
    const list = lists.find((l) => Array.isArray(l) && l.length > 0) as unknown[] | undefined;
    if (!list)
      return { url: null, reason: 'The document names no server, so the address to call is unknown.' };
    let sawHttp = false;
    let sawRelative = false;
    for (const entry of list) {
      if (!isObject(entry) || typeof entry.url !== 'string') continue;
      const url = withVariableDefaults(entry.url, entry.variables);
      if (/^http:\/\//i.test(url)) {
        sawHttp = true;
        continue;
      }
      if (!/^https:\/\//i.test(url)) {
        sawRelative = true;
        continue;
      }
      return checkServer(url);
    }
    if (sawHttp)
      return { url: null, reason: 'The document offers only http servers for it; actions call https only.' };
    if (sawRelative) {
      return {
        url: null,
        reason: 'Its server URL is relative (no https://host), so the address to call is unknown.',
      };
    }
    return { url: null, reason: 'The document names no https server for it.' };
  }

  private swaggerServer(operation: Json): Server {
    const schemes = (Array.isArray(operation.schemes) ? operation.schemes : this.api.schemes) as unknown;
    const host = text(this.api.host);
    if (!host) return { url: null, reason: 'The document has no “host”, so the address to call is unknown.' };
    if (!Array.isArray(schemes) || !schemes.includes('https')) {
      return {
        url: null,
        reason: 'The document does not list https in its “schemes”; actions call https only.',
      };
    }
    const basePath = text(this.api.basePath) ?? '';
    return checkServer(
      `https://${host}${basePath.startsWith('/') || basePath === '' ? basePath : `/${basePath}`}`,
    );
  }

  /** Path-item and operation parameters (the operation's win), the body, and cookie names. */
  private inputs(
    item: Json,
    operation: Json,
    method: HttpMethod,
    warnings: string[],
  ): { list: Input[]; cookies: string[]; body: 'json' | 'form' | null } {
    const byKey = new Map<string, Json>();
    for (const p of [...asArray(item.parameters), ...asArray(operation.parameters)]) {
      if (isObject(p) && typeof p.name === 'string' && typeof p.in === 'string')
        byKey.set(`${p.in}:${p.name}`, p);
    }
    const list: Input[] = [];
    const cookies: string[] = [];
    let body: 'json' | 'form' | null = null;
    const formFields: Json[] = [];
    for (const p of byKey.values()) {
      const where = p.in as string;
      const name = p.name as string;
      const schema = this.version === '2.0' ? p : p.schema;
      if (where === 'cookie') {
        cookies.push(name);
      } else if (where === 'path' || where === 'query' || where === 'header') {
        if (where === 'header' && !HEADER_TOKEN.test(name)) {
          throw new Skip(`Its header parameter “${name}” is not a valid header name.`);
        }
        if (
          where === 'header' &&
          (isForbiddenHeader(name) ||
            ['authorization', 'content-type', 'accept'].includes(name.toLowerCase()))
        ) {
          warnings.push(`The header parameter “${name}” was left out: the action sets that header itself.`);
          continue;
        }
        list.push({
          specName: name,
          in: where,
          required: where === 'path' || p.required === true,
          schema,
          description: text(p.description),
        });
      } else if (where === 'body') {
        body = 'json';
        list.push(...this.bodyInputs(p.schema, 'body', warnings));
      } else if (where === 'formData') {
        if (p.type === 'file') throw new Skip('It uploads a file, which actions cannot send.');
        formFields.push(p);
      }
    }
    if (formFields.length > 0) {
      const consumes = asArray(operation.consumes ?? this.api.consumes).map(String);
      if (consumes.some((c) => c.startsWith('multipart/')))
        throw new Skip('Its body is multipart/form-data, which actions cannot send.');
      body = 'form';
      for (const f of formFields) {
        list.push({
          specName: f.name as string,
          in: 'form',
          required: f.required === true,
          schema: f,
          description: text(f.description),
        });
      }
    }
    if (this.version !== '2.0' && isObject(operation.requestBody)) {
      const content = isObject(operation.requestBody.content) ? operation.requestBody.content : {};
      const types = Object.keys(content);
      const json =
        types.find((t) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(t)) ?? types.find((t) => t === '*/*');
      const form = types.find((t) => t.toLowerCase() === 'application/x-www-form-urlencoded');
      const chosen = json ?? form;
      if (!chosen) {
        if (types.some((t) => t.startsWith('multipart/')))
          throw new Skip('Its body is multipart/form-data, which actions cannot send.');
        if (types.length === 0) throw new Skip('Its request body does not say what it contains.');
        throw new Skip(
          `Its body is ${types.join(' or ')}, which actions cannot send (JSON and form bodies only).`,
        );
      }
      const media = content[chosen];
      const schema = isObject(media) ? media.schema : undefined;
      if (
        isObject(schema) &&
        (schema.format === 'binary' || schema.format === 'byte') &&
        schema.type === 'string'
      ) {
        throw new Skip('Its body is a file, which actions cannot send.');
      }
      body = chosen === form && !json ? 'form' : 'json';
      list.push(...this.bodyInputs(schema, body === 'form' ? 'form' : 'body', warnings));
    }
    if (body && !METHODS_WITH_BODY.includes(method)) {
      warnings.push(`A ${method} request has no body here: the body the document describes was left out.`);
      return { list: list.filter((i) => i.in !== 'body' && i.in !== 'form'), cookies, body: null };
    }
    return { list, cookies, body };
  }

  /** The top-level properties of a body schema, as inputs. */
  private bodyInputs(schema: unknown, where: 'body' | 'form', warnings: string[]): Input[] {
    const merged = mergeAllOf(this.resolveOnce(schema));
    if (merged === null) throw new Skip('Its body schema refers to itself in a way an import cannot unfold.');
    if (typeof merged[EXTERNAL] === 'string') {
      throw new Skip(
        `Its body schema is in another file (${merged[EXTERNAL]}), which an import does not read.`,
      );
    }
    const type = merged.type;
    if (type === 'array' || (Array.isArray(type) && type.includes('array') && !type.includes('object'))) {
      throw new Skip('Its body is a list, which an action body template cannot build from parameters.');
    }
    if (type !== undefined && type !== 'object' && !isObject(merged.properties)) {
      throw new Skip(`Its body is a single ${String(type)} value, not an object with fields.`);
    }
    const properties = isObject(merged.properties) ? merged.properties : {};
    const required = new Set(asArray(merged.required).map(String));
    if (Object.keys(properties).length === 0) {
      warnings.push('The body schema lists no fields; the body is sent empty ({}).');
    }
    return Object.entries(properties).map(([name, property]) => ({
      specName: name,
      in: where,
      required: required.has(name),
      schema: property,
      description: isObject(property) ? text(property.description) : undefined,
    }));
  }

  private parameterType(input: Input, _warnings: string[]): { type: ParameterType; choices?: string[] } {
    const schema = mergeAllOf(input.schema);
    if (schema === null || typeof schema.$ref === 'string') {
      throw new Skip(`Its required ${describeInput(input)} “${input.specName}” has a circular schema.`);
    }
    if (typeof schema[EXTERNAL] === 'string') {
      throw new Skip(
        `The schema of its required ${describeInput(input)} “${input.specName}” is in another file (${schema[EXTERNAL]}), which an import does not read.`,
      );
    }
    let type = schema.type;
    if (Array.isArray(type)) type = type.find((t) => t !== 'null');
    if (type === 'array' || type === 'object' || (type === undefined && isObject(schema.properties))) {
      throw new Skip(
        `Its required ${describeInput(input)} “${input.specName}” is ${type === 'array' ? 'a list' : 'an object'}, which an action cannot fill from one value.`,
      );
    }
    if (type === 'integer') return { type: 'integer' };
    if (type === 'number') return { type: 'number' };
    if (type === 'boolean') return { type: 'boolean' };
    if (Array.isArray(schema.enum)) {
      const choices = [...new Set(schema.enum.filter((c) => c !== null).map((c) => String(c)))].filter(
        (c) => c.trim() !== '',
      );
      if (
        choices.length > 0 &&
        choices.length <= LIMITS.choices &&
        choices.every((c) => c.length <= LIMITS.choice)
      ) {
        return { type: 'enum', choices };
      }
    }
    if (schema.format === 'date') return { type: 'date' };
    if (schema.format === 'email') return { type: 'email' };
    if (type === 'file') throw new Skip('It uploads a file, which actions cannot send.');
    return { type: 'text' };
  }

  /**
   * A schema left as an internal `$ref` (dereferencing leaves circular ones in place), resolved one
   * level so its own fields can be read; its self-references stay references.
   */
  private resolveOnce(schema: unknown): unknown {
    if (!isObject(schema) || typeof schema.$ref !== 'string' || !schema.$ref.startsWith('#/')) return schema;
    let node: unknown = this.api;
    for (const raw of schema.$ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObject(node) ? node[key] : undefined;
    }
    return isObject(node) ? node : schema;
  }

  private answersJson(operation: Json): boolean {
    if (this.version === '2.0') {
      return asArray(operation.produces ?? this.api.produces).some((t) => /json/i.test(String(t)));
    }
    const responses = isObject(operation.responses) ? Object.values(operation.responses) : [];
    return responses.some(
      (r) => isObject(r) && isObject(r.content) && Object.keys(r.content).some((t) => /json/i.test(t)),
    );
  }

  /**
   * The first security alternative the action model supports: http bearer → bearer, apiKey in a
   * header → api_key, basic or anonymous → none. Nothing supported → none, with a warning.
   */
  private auth(operation: Json, headers: ActionHeader[], warnings: string[]): ActionAuth {
    const requirements = (
      Array.isArray(operation.security) ? operation.security : this.api.security
    ) as unknown;
    if (!Array.isArray(requirements) || requirements.length === 0) return { type: 'none' };
    const schemes = (
      this.version === '2.0'
        ? this.api.securityDefinitions
        : isObject(this.api.components)
          ? this.api.components.securitySchemes
          : undefined
    ) as unknown;
    const described: string[] = [];
    for (const requirement of requirements) {
      if (!isObject(requirement)) continue;
      const names = Object.keys(requirement);
      if (names.length === 0) return { type: 'none' }; // anonymous access is an alternative
      if (names.length > 1) {
        described.push(names.join(' + '));
        continue; // several schemes at once: one credential cannot carry them
      }
      const name = names[0] as string;
      const scheme = isObject(schemes) ? schemes[name] : undefined;
      if (!isObject(scheme)) continue;
      const type = String(scheme.type);
      const httpScheme = String(scheme.scheme ?? '').toLowerCase();
      if (
        (type === 'http' && httpScheme === 'bearer') ||
        (this.version === '2.0' && type === 'apiKey' && String(scheme.name).toLowerCase() === 'authorization')
      ) {
        return { type: 'bearer' };
      }
      if (
        type === 'apiKey' &&
        scheme.in === 'header' &&
        typeof scheme.name === 'string' &&
        HEADER_TOKEN.test(scheme.name)
      ) {
        if (isForbiddenHeader(scheme.name)) continue;
        // A header parameter of the same name would be the credential typed by the agent.
        const clash = headers.findIndex(
          (h) => h.name.toLowerCase() === (scheme.name as string).toLowerCase(),
        );
        if (clash !== -1) headers.splice(clash, 1);
        return { type: 'api_key', headerName: scheme.name };
      }
      if ((type === 'http' && httpScheme === 'basic') || type === 'basic') {
        warnings.push(
          `The API offers HTTP basic authentication (${name}), which actions do not carry: the action has no authentication.`,
        );
        return { type: 'none' };
      }
      described.push(
        `${name} (${type}${scheme.in ? ` in ${String(scheme.in)}` : ''}${httpScheme ? ` ${httpScheme}` : ''})`,
      );
    }
    warnings.push(
      `None of the API's authentication methods (${described.join(', ') || 'unknown'}) is one actions support (bearer token or API key header): the action has no authentication.`,
    );
    return { type: 'none' };
  }
}

function describeInput(input: Input): string {
  return input.in === 'body' || input.in === 'form' ? 'body field' : `${input.in} parameter`;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function formKey(name: string): string {
  return new URLSearchParams([[name, '']]).toString().slice(0, -1);
}

/** A schema with its `allOf` parts merged (properties and required); null for a circular leftover. */
function mergeAllOf(schema: unknown, depth = 0): Json | null {
  if (!isObject(schema)) return {};
  if (typeof schema.$ref === 'string') return null;
  if (!Array.isArray(schema.allOf) || depth > 8) return schema;
  const merged: Json = {
    ...schema,
    properties: { ...(isObject(schema.properties) ? schema.properties : {}) },
  };
  const required = new Set(asArray(schema.required).map(String));
  for (const part of schema.allOf) {
    const p = mergeAllOf(part, depth + 1);
    if (p === null) continue;
    if (p.type !== undefined && merged.type === undefined) merged.type = p.type;
    Object.assign(merged.properties as Json, isObject(p.properties) ? p.properties : {});
    for (const r of asArray(p.required)) required.add(String(r));
  }
  merged.required = [...required];
  delete merged.allOf;
  return merged;
}

/** `{var}` in a server URL replaced by the variable's default. */
function withVariableDefaults(url: string, variables: unknown): string {
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = isObject(variables) ? variables[name] : undefined;
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
}

function checkServer(url: string): Server {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url: null, reason: `Its server URL “${url}” is not a valid URL.` };
  }
  if (parsed.port !== '' && parsed.port !== '443') {
    return { url: null, reason: `Its server uses port ${parsed.port}; actions call port 443 only.` };
  }
  if (parsed.username || parsed.password) {
    return { url: null, reason: 'Its server URL has a user name or password in it.' };
  }
  // Keep the server's path as written (no query or fragment belong in a server URL).
  return { url: `https://${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}` };
}
