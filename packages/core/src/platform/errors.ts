/**
 * The one error type use cases raise. The HTTP layer turns it into RFC 9457 problem+json;
 * `code` is stable and documented, `fields` carries per-field messages.
 */
export interface FieldError {
  path: string;
  message: string;
  code?: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    message: string,
    readonly extra: { fields?: FieldError[]; [k: string]: unknown } = {},
  ) {
    super(message);
  }
}

export const notFound = (entity: string, id: string) =>
  new AppError(404, 'not_found', 'Not found', `${entity} ${id} does not exist or is not visible to you`);

export const forbidden = (what: string) =>
  new AppError(403, 'forbidden', 'Forbidden', `your role may not ${what}`);

export const unauthorized = (detail = 'sign in or send a valid API token') =>
  new AppError(401, 'unauthorized', 'Unauthorized', detail);

export const validationError = (fields: FieldError[], detail = 'the request has invalid fields') =>
  new AppError(422, 'validation_failed', 'Validation failed', detail, { fields });

export const fieldError = (path: string, message: string, code = 'invalid') =>
  validationError([{ path, message, code }], message);

export const versionConflict = (entity: string, id: string, current: number) =>
  new AppError(
    409,
    'version_conflict',
    'Edit conflict',
    `${entity} ${id} was changed by someone else (now version ${current}); reload and apply your change again`,
    { currentVersion: current },
  );

export const conflict = (code: string, detail: string, extra: Record<string, unknown> = {}) =>
  new AppError(409, code, 'Conflict', detail, extra);
