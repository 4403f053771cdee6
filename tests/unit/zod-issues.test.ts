import { describe, expect, it } from "vitest";
import { z } from "zod";
import { issueDetails, issueText } from "@/lib/i18n/zod-issues";
import { flowCreateSchema } from "@/lib/schemas/flows";
import { inspectionCreateSchema } from "@/lib/schemas/inspections";

// Validation issues become catalogue messages in the user's language; English API clients keep
// the schemas' own words.

const fail = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) throw new Error("expected a failure");
  return r.error;
};

describe("validation messages", () => {
  it("each kind of issue reads as a rule in Korean and Chinese", () => {
    const cases: [z.ZodType, unknown, string, string][] = [
      [z.object({ a: z.string() }), {}, "필수 항목입니다.", "此项为必填项。"],
      [z.string().min(1).max(5), "", "필수 항목입니다.", "此项为必填项。"],
      [z.string().max(5), "abcdefg", "최대 5자까지 입력할 수 있습니다.", "最多可输入 5 个字符。"],
      [z.enum(["a", "b"]), "c", "목록에서 하나를 고르세요.", "请从列表中选择一项。"],
      [z.number().min(2), 1, "2 이상이어야 합니다.", "不能小于 2。"],
      [z.number().positive(), -1, "0보다 커야 합니다.", "必须大于零。"],
      [z.number(), "x", "숫자를 입력하세요.", "请输入数字。"],
      [z.email(), "nope", "올바른 이메일 주소를 입력하세요.", "请输入有效的电子邮件地址。"],
      [z.iso.date(), "2026-02-30", "날짜를 입력하세요 (예: 2026-12-31).", "请输入日期（例如 2026-12-31）。"],
      [z.number().refine(() => false, "At most 3 decimals"), 1.0001, "소수점 이하 3자리까지 입력할 수 있습니다.", "最多 3 位小数。"],
      [z.string().refine(() => false, "Something else"), "x", "올바른 값이 아닙니다.", "值无效。"],
    ];
    for (const [schema, value, ko, zh] of cases) {
      const issue = fail(schema, value).issues[0];
      expect(issueText(issue, "ko"), JSON.stringify(value)).toBe(ko);
      expect(issueText(issue, "zh"), JSON.stringify(value)).toBe(zh);
    }
  });

  it("an inspection application and a flow: no zod text for Korean users, the schema's words in English", () => {
    const error = fail(inspectionCreateSchema, { product: "", factory_name: "F", inspection_type: "x", requested_date: "2026-12-01" });
    const ko = issueDetails(error, "ko");
    expect(ko).toEqual([
      { path: "product", message: "필수 항목입니다." },
      { path: "inspection_type", message: "목록에서 하나를 고르세요." },
    ]);
    const en = issueDetails(error, "en");
    expect(en.map((d) => d.message)).toEqual(error.issues.map((i) => i.message));
    const flow = fail(flowCreateSchema("outbound"), { kind: "outbound", from_location_id: "x", lines: [] });
    for (const d of issueDetails(flow, "zh")) expect(d.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
