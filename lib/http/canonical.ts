// A body as JSON with object keys sorted, so the same body always hashes the same (Idempotency-Key).
// Written with an explicit stack, not recursion: however deep a body is nested, this cannot
// overflow the call stack. The text is the same as the recursive version's it replaces, so keys
// stored before still match.

type Task = string | { value: unknown };

function byKey([a]: [string, unknown], [b]: [string, unknown]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function canonicalJson(root: unknown): string {
  const out: string[] = [];
  const stack: Task[] = [{ value: root }];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if (typeof task === "string") {
      out.push(task);
      continue;
    }
    const v = task.value;
    if (Array.isArray(v)) {
      // Pushed in reverse, so they come off the stack in order.
      stack.push("]");
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i] });
        if (i > 0) stack.push(",");
      }
      stack.push("[");
    } else if (v && typeof v === "object") {
      const entries = Object.entries(v as Record<string, unknown>).sort(byKey);
      stack.push("}");
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ value: entries[i][1] });
        stack.push(`${i > 0 ? "," : ""}${JSON.stringify(entries[i][0])}:`);
      }
      stack.push("{");
    } else {
      out.push(JSON.stringify(v) ?? "null");
    }
  }
  return out.join("");
}
