// One error type for the whole app, with a closed set of codes mapped to HTTP status.

export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  account_disabled: 401,
  forbidden: 403,
  cross_origin: 403,
  password_change_required: 403,
  not_found: 404,
  // Machine translation is not configured (no OPENAI_API_KEY).
  not_enabled: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_state: 409,
  insufficient_stock: 409,
  last_admin: 409,
  import_invalid: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  idempotency_mismatch: 422,
  rate_limited: 429,
  translation_limit: 429,
  internal_error: 500,
  unavailable: 503,
  maintenance: 503,
  translation_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}

// A bundler may put two copies of this module into one server build (route handlers and pages
// are separate bundles), and `instanceof` against the other copy's class is false. The brand is a
// global symbol, so every copy recognises errors made by any other.
const APP_ERROR = Symbol.for("duly.AppError");

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly [APP_ERROR] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR] === true;
  }

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
