// The operations manual's Sentry alert rules as code (npm run ops:sentry-alerts): created or
// updated through Sentry's API, matched by name, so running it again changes nothing that is
// already as written here. Issue alert rules: /api/0/projects/{org}/{project}/rules/; metric
// alert rules: /api/0/organizations/{org}/alert-rules/ (PUT overwrites the whole rule).

export type SentryTarget = { apiUrl: string; token: string; org: string; project: string; environment: string; teamId?: string };

type Json = Record<string, unknown>;

/** The manual §3.2 and §11.3: new and returning errors, error rate, slow responses. */
export function issueRules(t: SentryTarget): Json[] {
  const email = { id: "sentry.mail.actions.NotifyEmailAction", targetType: "IssueOwners", fallthroughType: "ActiveMembers" };
  return [
    {
      name: "Duly ERP: new or returning error",
      actionMatch: "any",
      filterMatch: "all",
      frequency: 30,
      environment: t.environment,
      conditions: [
        { id: "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition" },
        { id: "sentry.rules.conditions.regression_event.RegressionEventCondition" },
      ],
      filters: [],
      actions: [email],
    },
    {
      name: "Duly ERP: error happening often (100 events in 1 h)",
      actionMatch: "all",
      filterMatch: "all",
      frequency: 60,
      environment: t.environment,
      conditions: [{ id: "sentry.rules.conditions.event_frequency.EventFrequencyCondition", value: 100, interval: "1h", comparisonType: "count" }],
      filters: [],
      actions: [email],
    },
  ];
}

export function metricRules(t: SentryTarget): Json[] {
  const actions = t.teamId ? [{ type: "email", targetType: "team", targetIdentifier: t.teamId }] : [];
  const rule = (name: string, aggregate: string, timeWindow: number, threshold: number, resolve: number) => ({
    name,
    dataset: "transactions",
    queryType: 1,
    query: "",
    aggregate,
    timeWindow,
    thresholdType: 0,
    resolveThreshold: resolve,
    environment: t.environment,
    projects: [t.project],
    owner: t.teamId ? `team:${t.teamId}` : undefined,
    triggers: [{ label: "critical", alertThreshold: threshold, actions }],
  });
  return [
    // §3.2: error rate above 5 % (§11.3: over 3 minutes; Sentry's windows are 1, 5, 10, … so 5).
    rule("Duly ERP: error rate above 5 %", "failure_rate()", 5, 0.05, 0.03),
    // §3.2: responses slower than 3 s.
    rule("Duly ERP: p95 response time above 3 s", "p95(transaction.duration)", 5, 3000, 2000),
    // §11.3: API p95 above 1 s for 5 minutes.
    rule("Duly ERP: API p95 above 1 s", "p95(transaction.duration)", 5, 1000, 800),
  ];
}

type Fetch = typeof fetch;

async function api(fetchFn: Fetch, t: SentryTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetchFn(`${t.apiUrl.replace(/\/$/, "")}/api/0${path}`, {
    method,
    headers: { Authorization: `Bearer ${t.token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Sentry ${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Whether what Sentry has already says everything the wanted rule says (extra fields ignored). */
export function covers(have: unknown, want: unknown): boolean {
  if (want === undefined) return true;
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((w, i) => covers(have[i], w));
  if (want !== null && typeof want === "object") {
    if (have === null || typeof have !== "object") return false;
    return Object.entries(want as Json).every(([k, v]) => covers((have as Json)[k], v));
  }
  // Sentry answers some numbers as strings ("0.05", team ids).
  return have === want || (typeof have !== "object" && String(have) === String(want));
}

export type ProvisionResult = { name: string; kind: "issue" | "metric"; action: "created" | "updated" | "unchanged" };

async function sync(fetchFn: Fetch, t: SentryTarget, kind: "issue" | "metric", list: string, item: (id: string) => string, wanted: Json[]): Promise<ProvisionResult[]> {
  const existing = (await api(fetchFn, t, "GET", list)) as Json[];
  const out: ProvisionResult[] = [];
  for (const rule of wanted) {
    const found = existing.find((r) => r.name === rule.name);
    if (!found) {
      await api(fetchFn, t, "POST", list, rule);
      out.push({ name: String(rule.name), kind, action: "created" });
    } else if (!covers(found, rule)) {
      await api(fetchFn, t, "PUT", item(String(found.id)), rule);
      out.push({ name: String(rule.name), kind, action: "updated" });
    } else {
      out.push({ name: String(rule.name), kind, action: "unchanged" });
    }
  }
  return out;
}

export async function provisionSentryAlerts(t: SentryTarget, fetchFn: Fetch = fetch): Promise<ProvisionResult[]> {
  const org = encodeURIComponent(t.org);
  const project = encodeURIComponent(t.project);
  return [
    ...(await sync(fetchFn, t, "issue", `/projects/${org}/${project}/rules/`, (id) => `/projects/${org}/${project}/rules/${id}/`, issueRules(t))),
    ...(await sync(fetchFn, t, "metric", `/organizations/${org}/alert-rules/`, (id) => `/organizations/${org}/alert-rules/${id}/`, metricRules(t))),
  ];
}
