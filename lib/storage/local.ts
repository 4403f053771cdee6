import "server-only";
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { assertStoragePath, type SignedUpload, type StoragePort, type StoredObject } from "./types";

// Files in a folder on this machine (embedded and Postgres modes): DATA_DIR/attachments/
// <customer>/<uuid>. Written to a temporary name and renamed, so a reader never sees half a file.

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

export class LocalStorage implements StoragePort {
  readonly kind = "local" as const;

  constructor(readonly root: string) {}

  private file(p: string): string {
    assertStoragePath(p);
    return path.join(this.root, ...p.split("/"));
  }

  // The content type is not kept beside the file: the attachment row holds it.
  async put(p: string, bytes: Uint8Array): Promise<void> {
    const target = this.file(p);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const partial = `${target}.partial-${process.pid}-${Date.now()}`;
    // "wx": never overwrite; a stored file is immutable.
    await writeFile(partial, bytes, { flag: "wx", mode: 0o600 });
    try {
      await stat(target).then(
        () => {
          throw new Error("Storage object already exists");
        },
        (error: unknown) => {
          if (!isMissing(error)) throw error;
        },
      );
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /**
   * Stores a stream of at most `maxBytes` bytes, never keeping more than that on disk: past the
   * limit the partial file is removed and nothing is stored. Refuses to overwrite.
   */
  async putStream(
    p: string,
    stream: ReadableStream<Uint8Array>,
    maxBytes: number,
  ): Promise<{ ok: true; size: number } | { ok: false; reason: "too_large" | "exists" | "aborted" }> {
    const target = this.file(p);
    if (await exists(target)) return { ok: false, reason: "exists" };
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const partial = `${target}.partial-${process.pid}-${Date.now()}`;
    const handle = await open(partial, "wx", 0o600);
    const reader = stream.getReader();
    let size = 0;
    let stored = false;
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch {
          // The client went away mid-upload: not our failure, and nothing is kept.
          return { ok: false, reason: "aborted" };
        }
        const { done, value } = chunk;
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => undefined);
          return { ok: false, reason: "too_large" };
        }
        await handle.write(value);
      }
      await handle.close();
      // Two uploads to one path race to here: only one may win (no overwrite).
      if (await exists(target)) return { ok: false, reason: "exists" };
      await rename(partial, target);
      stored = true;
      return { ok: true, size };
    } finally {
      await handle.close().catch(() => undefined);
      if (!stored) await rm(partial, { force: true });
    }
  }

  // The app's own PUT route receives the bytes here (lib/data/attachment-uploads.ts).
  async signedUploadUrl(): Promise<SignedUpload | null> {
    return null;
  }

  async get(p: string): Promise<StoredObject | null> {
    const target = this.file(p);
    try {
      const info = await stat(target);
      const stream = Readable.toWeb(createReadStream(target)) as ReadableStream<Uint8Array>;
      return { stream, size: info.size };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async getBytes(p: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.file(p)));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async remove(p: string): Promise<void> {
    await rm(this.file(p), { force: true });
  }
}
