/** Headers that are the same on every response, files included (static-headers.mjs). */
export declare const STATIC_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]>;
