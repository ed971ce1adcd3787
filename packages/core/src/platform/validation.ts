import { z, type ZodType } from 'zod';

/**
 * Validate once per request. A route validates its body and query with the route's zod schema
 * (http/route.ts) and marks the output with that schema; a use case that validates its input with
 * `validated(Schema, input)` then takes a value the same schema already produced as it is, instead of
 * parsing it again (zod ran twice on every write, 2–3 % of a W1 request's CPU). Anything else — the CLI,
 * the demo, internal callers, another schema, a value built or copied after the route — is parsed as
 * before. The mark is a WeakMap entry on the parsed object itself, so it cannot be forged by input
 * (JSON has no way to make one) and is gone with the object.
 *
 * The route's output must reach the use case unmodified: a handler that changes the parsed object in
 * place before calling the use case must copy it instead (a copy carries no mark).
 */
const parsedBy = new WeakMap<object, ZodType>();

/** Marks `value` as the output of `schema` (called by the route layer right after parsing). */
export function markValidated<T>(schema: ZodType, value: T): T {
  if (value !== null && typeof value === 'object') parsedBy.set(value, schema);
  return value;
}

/** `schema.parse(input)`, unless `input` is what this very schema produced for the route. */
export function validated<S extends ZodType>(schema: S, input: unknown): z.output<S> {
  if (input !== null && typeof input === 'object' && parsedBy.get(input) === schema) return input as z.output<S>;
  return schema.parse(input);
}

/** The body of a step that takes none: `{}` or nothing (one schema, not one built per call). */
export const NoInput = z.object({}).strict();
export function noInput(input: unknown): void {
  if (input === undefined || input === null) return;
  if (typeof input === 'object' && !Array.isArray(input) && Object.keys(input).length === 0) return;
  validated(NoInput, input);
}
