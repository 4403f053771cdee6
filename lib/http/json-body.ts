import "server-only";
import { AppError } from "@/lib/errors";
import { readCapped } from "./multipart";

// Reading a JSON request body within limits (docs/security.md, "Input limits"): only JSON content
// types (a cross-site text/plain form must not pass for JSON), a byte cap, a nesting cap checked
// before parsing, and every string well-formed Unicode. Nothing here recurses, so no body can
// overflow the stack.

export type JsonLimits = { maxBytes: number; maxDepth: number };

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function notJson(): AppError {
  return new AppError("unsupported_media_type", "Send the body as application/json");
}

/** The deepest nesting of arrays and objects in JSON text, refused as soon as it passes `max`. */
function assertDepth(text: string, max: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) throw new AppError("bad_request", `The body is nested more than ${max} levels deep`);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}

/**
 * The path of the first key or string that is not well-formed Unicode (a lone UTF-16 surrogate,
 * which JSON's \uD800 escape can carry and Postgres would store as U+FFFD), or null.
 */
export function malformedStringPath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      if (!v.isWellFormed()) return path;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, path === "" ? String(i) : `${path}.${i}`]));
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        const at = path === "" ? k : `${path}.${k}`;
        if (!k.isWellFormed()) return at;
        stack.push([x, at]);
      }
    }
  }
  return null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The parsed body, or undefined when there is none. */
export async function readJsonBody(req: Request, limits: JsonLimits): Promise<unknown> {
  const type = req.headers.get("content-type");
  if (type !== null && !JSON_TYPE.test(type.trim())) throw notJson();
  const bytes = await readCapped(
    req,
    limits.maxBytes,
    () => new AppError("payload_too_large", `The body is larger than ${limits.maxBytes} bytes`, { max_bytes: limits.maxBytes }),
  );
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid UTF-8");
  }
  if (text.trim() === "") return undefined;
  // A body without a Content-Type is refused too: a no-cors fetch of a Blob sends none.
  if (type === null) throw notJson();
  assertDepth(text, limits.maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON");
  }
  const bad = malformedStringPath(value);
  if (bad !== null) {
    const message = "Contains a character that is not valid text (a lone surrogate)";
    throw new AppError("validation_failed", "Some fields are missing or invalid", [{ path: bad, message }]);
  }
  return value;
}
