import { afterEach, describe, expect, it } from "vitest";
import type { TestProject } from "vitest/node";
import { assertLocalDatabaseUrl } from "../helpers/pg-local";
import setupPgTemplate from "../helpers/pg-template";

// The real-Postgres suite drops and creates databases: it must refuse anything but this machine.

describe("TEST_DATABASE_URL guard", () => {
  it.each([
    "postgres://postgres@127.0.0.1:5432/test",
    "postgresql://postgres:pw@localhost/test",
    "postgres://postgres@[::1]:5432/test",
  ])("accepts %s", (url) => {
    expect(() => assertLocalDatabaseUrl(url)).not.toThrow();
  });

  it.each([
    ["a remote host", "postgres://postgres@db.example.com:5432/prod", /Refusing/],
    ["a private-network host", "postgres://postgres@10.0.0.5/test", /Refusing/],
    ["a host name that only starts like localhost", "postgres://postgres@localhost.evil.example/test", /Refusing/],
    ["a host smuggled in ?host=", "postgres://postgres@127.0.0.1/test?host=db.example.com", /\?host=/],
    ["a socket directory instead of a host", "postgres:///test?host=/var/run/postgresql", /\?host=/],
    ["another scheme", "mysql://root@127.0.0.1/test", /postgres:\/\//],
    ["not a URL", "host=127.0.0.1 dbname=test", /not a valid URL/],
    ["nothing", undefined, /not set/],
  ])("refuses %s", (_label, url, message) => {
    expect(() => assertLocalDatabaseUrl(url)).toThrow(message);
  });

  describe("the pg project's global setup", () => {
    const saved = process.env.TEST_DATABASE_URL;
    afterEach(() => {
      if (saved === undefined) delete process.env.TEST_DATABASE_URL;
      else process.env.TEST_DATABASE_URL = saved;
    });

    it("refuses a remote database before connecting to it", async () => {
      process.env.TEST_DATABASE_URL = "postgres://postgres@db.example.com:5432/prod";
      const provided: string[] = [];
      const project = { provide: (key: string) => provided.push(key) } as unknown as TestProject;
      await expect(setupPgTemplate(project)).rejects.toThrow(/Refusing to run destructive database tests against db\.example\.com/);
      expect(provided).toEqual([]);
    });
  });
});
