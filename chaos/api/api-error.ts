/** @module chaos/api: Toxiproxy's error catalogue (api.go): `{"error": "...", "status": N}` with its status codes. */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  /** Toxiproxy `joinError`: `wrapper message: cause`. */
  static join(wrapper: ApiError, cause: string): ApiError {
    return new ApiError(`${wrapper.message}: ${cause}`, wrapper.status);
  }
}

export const ERR = {
  badRequestBody: new ApiError('bad request body', 400),
  missingField: new ApiError('missing required field', 400),
  proxyNotFound: new ApiError('proxy not found', 404),
  proxyAlreadyExists: new ApiError('proxy already exists', 409),
  invalidStream: new ApiError('stream was invalid, can be either upstream or downstream', 400),
  invalidToxicType: new ApiError('invalid toxic type', 400),
  toxicAlreadyExists: new ApiError('toxic already exists', 409),
  toxicNotFound: new ApiError('toxic not found', 404),
  /** codeblue only: an address outside loopback (the target guard). */
  targetNotAllowed: new ApiError('target not allowed', 403),
  /** codeblue only: an HTTP toxic on a tcp proxy. */
  needsHttpProxy: new ApiError('bad request body', 400),
} as const;

/** Any other failure is a 500 with its raw text, as Toxiproxy does for errors without a status. */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(err instanceof Error ? err.message : String(err), 500);
}
