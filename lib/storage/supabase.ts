import "server-only";
import { assertStoragePath, type SignedUpload, type StoragePort, type StoredObject } from "./types";

// Supabase Storage (production): the private `attachments` bucket (created by the migration
// 20261122000720), spoken to over its REST API with the service-role key. Only server code
// imports this module, and only after the database functions have checked the user may touch
// the attachment; the bucket's own policies mirror those rules for anyone using a user's JWT.

export const BUCKET = "attachments";

export type SupabaseStorageConfig = { url: string; serviceRoleKey: string; fetch?: typeof fetch };

export class SupabaseStorage implements StoragePort {
  readonly kind = "supabase" as const;
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly cfg: SupabaseStorageConfig) {
    this.base = `${cfg.url.replace(/\/+$/, "")}/storage/v1`;
    this.fetch = cfg.fetch ?? fetch;
  }

  private headers(extra: Record<string, string> = {}): Headers {
    return new Headers({ authorization: `Bearer ${this.cfg.serviceRoleKey}`, apikey: this.cfg.serviceRoleKey, ...extra });
  }

  private objectUrl(p: string, prefix = "object"): string {
    assertStoragePath(p);
    return `${this.base}/${prefix}/${BUCKET}/${p}`;
  }

  private async fail(res: Response, what: string): Promise<never> {
    // The body may echo our request; keep only the status and Storage's error name.
    let name = "";
    try {
      name = String(((await res.json()) as { error?: unknown }).error ?? "");
    } catch {
      // not JSON
    }
    throw new Error(`Supabase Storage ${what} failed: ${res.status} ${name}`.trim());
  }

  /** Storage answers a missing object with 404, or 400 carrying statusCode "404". */
  private async isMissing(res: Response): Promise<boolean> {
    if (res.status === 404) return true;
    if (res.status !== 400) return false;
    try {
      const body = (await res.clone().json()) as { statusCode?: unknown; error?: unknown };
      return String(body.statusCode) === "404" || body.error === "not_found";
    } catch {
      return false;
    }
  }

  async put(p: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const res = await this.fetch(this.objectUrl(p), {
      method: "POST",
      headers: this.headers({ "content-type": contentType, "x-upsert": "false", "cache-control": "no-store" }),
      body: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }),
    });
    if (!res.ok) await this.fail(res, "upload");
  }

  async get(p: string): Promise<StoredObject | null> {
    const res = await this.fetch(this.objectUrl(p, "object/authenticated"), { headers: this.headers() });
    if (await this.isMissing(res)) return null;
    if (!res.ok || !res.body) return this.fail(res, "download");
    const length = Number(res.headers.get("content-length"));
    return { stream: res.body, size: Number.isFinite(length) && length > 0 ? length : null };
  }

  async getBytes(p: string): Promise<Uint8Array | null> {
    const found = await this.get(p);
    if (!found) return null;
    return new Uint8Array(await new Response(found.stream).arrayBuffer());
  }

  async remove(p: string): Promise<void> {
    assertStoragePath(p);
    const res = await this.fetch(`${this.base}/object/${BUCKET}`, {
      method: "DELETE",
      headers: this.headers({ "content-type": "application/json" }),
      body: JSON.stringify({ prefixes: [p] }),
    });
    if (!res.ok && !(await this.isMissing(res))) await this.fail(res, "delete");
  }

  /**
   * Storage's signed upload URL for a new object (what storage-js createSignedUploadUrl asks
   * for: POST /object/upload/sign/<bucket>/<path>, answered with a path carrying a token). Storage
   * keeps it valid for two hours and allows one object at that path (no upsert); the bucket's
   * size limit and types apply to what is sent. The client PUTs the raw bytes with these headers,
   * as storage-js uploadToSignedUrl does for a non-Blob body.
   */
  async signedUploadUrl(p: string, contentType: string): Promise<SignedUpload> {
    const res = await this.fetch(this.objectUrl(p, "object/upload/sign"), {
      method: "POST",
      headers: this.headers({ "content-type": "application/json" }),
      body: "{}",
    });
    if (!res.ok) await this.fail(res, "sign upload");
    const { url } = (await res.json()) as { url?: unknown };
    if (typeof url !== "string" || !new URL(url, "http://x").searchParams.get("token")) {
      throw new Error("Supabase Storage sign upload failed: no token returned");
    }
    return { url: `${this.base}${url.startsWith("/") ? "" : "/"}${url}`, headers: { "content-type": contentType, "x-upsert": "false" } };
  }

  /** A download link valid for `seconds` (for clients that fetch directly from Storage). */
  async signedUrl(p: string, seconds = 60): Promise<string> {
    const res = await this.fetch(this.objectUrl(p, "object/sign"), {
      method: "POST",
      headers: this.headers({ "content-type": "application/json" }),
      body: JSON.stringify({ expiresIn: seconds }),
    });
    if (!res.ok) await this.fail(res, "sign");
    const { signedURL } = (await res.json()) as { signedURL: string };
    return `${this.base}${signedURL.startsWith("/") ? "" : "/"}${signedURL}`;
  }
}
