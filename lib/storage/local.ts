import "server-only";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { assertStoragePath, type StoragePort, type StoredObject } from "./types";

// Files in a folder on this machine (embedded and Postgres modes): DATA_DIR/attachments/
// <customer>/<uuid>. Written to a temporary name and renamed, so a reader never sees half a file.

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
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
