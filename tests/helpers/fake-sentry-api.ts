import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// Sentry's alert-rules API on loopback, as much of it as npm run ops:sentry-alerts uses: list,
// create and update (whole-rule PUT) of a project's issue alert rules and an organisation's
// metric alert rules. It answers as Sentry does: rules get an id and extra fields (dates,
// trigger ids, numbers as strings), and a wrong token is 401.

type Rule = Record<string, unknown> & { id: string };
export type Call = { method: string; path: string; body: unknown };

export type FakeSentryApi = {
  url: string;
  token: string;
  issue: Rule[];
  metric: Rule[];
  calls: Call[];
  close(): Promise<void>;
};

function decorate(kind: "issue" | "metric", id: string, body: Record<string, unknown>): Rule {
  const rule: Rule = { ...body, id, dateCreated: "2026-12-05T00:00:00Z", createdBy: { id: 1, name: "ops" } };
  if (kind === "metric") {
    rule.organizationId = "4505676595200000";
    rule.triggers = ((body.triggers as Record<string, unknown>[]) ?? []).map((t, i) => ({
      ...t,
      id: `${id}${i}`,
      alertRuleId: id,
      // Sentry echoes thresholds as numbers, but resolveThreshold of a trigger may come back null.
      alertThreshold: t.alertThreshold,
      resolveThreshold: null,
    }));
  }
  return rule;
}

export async function startFakeSentryApi(org: string, project: string, token = "sntrys_fake_token_0123456789"): Promise<FakeSentryApi> {
  const state = { issue: [] as Rule[], metric: [] as Rule[], calls: [] as Call[] };
  let next = 100;
  const issueList = `/api/0/projects/${org}/${project}/rules/`;
  const metricList = `/api/0/organizations/${org}/alert-rules/`;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      const path = req.url ?? "";
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      state.calls.push({ method: req.method ?? "", path, body });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, { detail: "Invalid token" });
      for (const [kind, list] of [["issue", issueList], ["metric", metricList]] as const) {
        const rules = state[kind];
        if (path === list && req.method === "GET") return send(200, rules);
        if (path === list && req.method === "POST") {
          if (!body?.name) return send(400, { name: ["This field is required."] });
          const rule = decorate(kind, String(next++), body);
          rules.push(rule);
          return send(201, rule);
        }
        if (path.startsWith(list) && req.method === "PUT") {
          const id = path.slice(list.length).replace(/\/$/, "");
          const i = rules.findIndex((r) => r.id === id);
          if (i === -1) return send(404, { detail: "The requested resource does not exist" });
          rules[i] = decorate(kind, id, body ?? {});
          return send(200, rules[i]);
        }
      }
      send(404, { detail: "The requested resource does not exist" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    get issue() {
      return state.issue;
    },
    get metric() {
      return state.metric;
    },
    get calls() {
      return state.calls;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
