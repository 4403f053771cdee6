// Headers that are the same on every response, files included (docs/security.md). Plain
// JavaScript because next.config.mjs reads them as well as the app: a TypeScript config would
// bring the SWC compiler into every `next start` on Node.js 20 (about 25 MB resident and 0.2 s).

/** @type {ReadonlyArray<readonly [string, string]>} */
export const STATIC_SECURITY_HEADERS = [
  // Two years: production is only ever served over https (browsers ignore the header on plain
  // http, so local runs are unaffected). No `preload`: that is a decision for the whole domain.
  ["Strict-Transport-Security", "max-age=63072000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  // For browsers that predate frame-ancestors.
  ["X-Frame-Options", "DENY"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];
