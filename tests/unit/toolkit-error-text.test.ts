import { createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";
import type { ApiFailure } from "@/components/toolkit/api";
import { errorText, fieldErrors, type ErrorTextOptions } from "@/components/toolkit/error-text";
import enErrors from "@/messages/en/errors.json";
import enFlows from "@/messages/en/flows.json";
import enInspections from "@/messages/en/inspections.json";
import koErrors from "@/messages/ko/errors.json";
import koFlows from "@/messages/ko/flows.json";
import koInspections from "@/messages/ko/inspections.json";

// Every special case of the one error-text mapping (components/toolkit/error-text.ts), in Korean
// and English, with the real message catalogues.

const CATALOGUES = {
  ko: { errors: koErrors, flows: koFlows, inspections: koInspections },
  en: { errors: enErrors, flows: enFlows, inspections: enInspections },
} as const;

function textIn(locale: "ko" | "en") {
  const messages = CATALOGUES[locale];
  const tr = {
    errors: createTranslator({ locale, messages, namespace: "errors" }),
    flows: createTranslator({ locale, messages, namespace: "flows" }),
    inspections: createTranslator({ locale, messages, namespace: "inspections" }),
  };
  return (failure: Partial<ApiFailure> & { code: string }, options?: ErrorTextOptions) =>
    errorText({ status: 400, message: "", ...failure }, tr as unknown as Parameters<typeof errorText>[1], locale, options);
}

const ko = textIn("ko");
const en = textIn("en");

describe("errorText", () => {
  it("names the shortage of insufficient_stock: item, warehouse, quantities in the user's number format", () => {
    const failure = { status: 409, code: "insufficient_stock", details: { sku: "BRG-6204", location_code: "ICN-1", available: "1234.5", requested: 2000 } };
    expect(en(failure)).toBe("Not enough stock: BRG-6204 at ICN-1 has 1,234.5, this flow needs 2,000. Nothing was changed.");
    expect(ko(failure)).toBe("재고 부족: ICN-1의 BRG-6204 재고 1,234.5, 이 입출고에 필요한 수량 2,000. 아무것도 변경되지 않았습니다.");
    // Without details it still says what happened, not a raw code.
    expect(en({ code: "insufficient_stock" })).toBe(enErrors.insufficient_stock);
  });

  it("explains an outbound refused for its customer (required, mismatch)", () => {
    const required = { code: "validation_failed", details: [{ path: "customer_id", code: "customer_required", message: "x" }] };
    const mismatch = { code: "validation_failed", details: [{ path: "customer_id", code: "customer_mismatch", message: "x" }] };
    expect(ko(required)).toBe(koFlows.form.customerRequired);
    expect(en(required)).toBe(enFlows.form.customerRequired);
    expect(ko(mismatch)).toBe(koFlows.form.customerMismatch);
    expect(en(mismatch)).toBe(enFlows.form.customerMismatch);
  });

  it("says storage refused an upload, and why a file was refused", () => {
    expect(ko({ code: "upload_refused", status: 413 })).toBe(koInspections.upload.refused);
    expect(en({ code: "upload_refused", status: 413 })).toBe(enInspections.upload.refused);
    const file = { code: "validation_failed", status: 422, details: [{ path: "file", reason: "too_large", message: "At most 20 MB (21000000 bytes sent)" }] };
    // Korean: the catalogue's sentence for the reason; English: the server's own words.
    expect(ko(file)).toBe(koInspections.upload.reasons.too_large);
    expect(en(file)).toBe("At most 20 MB (21000000 bytes sent)");
    // A reason the catalogue does not know: the generic validation sentence.
    expect(ko({ ...file, details: [{ path: "file", reason: "new_rule" }] })).toBe(koErrors.validation_failed);
  });

  it("says the server could not be reached on a network failure", () => {
    expect(ko({ code: "network", status: 0 })).toBe("서버에 연결할 수 없습니다. 연결을 확인하고 다시 시도하세요.");
    expect(en({ code: "network", status: 0 })).toBe("The server could not be reached. Check the connection and try again.");
  });

  it("uses a form's own sentence for its 409 conflict, and errors.conflict otherwise", () => {
    expect(en({ code: "conflict", status: 409 }, { byCode: { conflict: "Another item already uses this SKU." } })).toBe("Another item already uses this SKU.");
    expect(ko({ code: "conflict", status: 409 })).toBe(koErrors.conflict);
    expect(en({ code: "conflict", status: 409 })).toBe(enErrors.conflict);
  });

  it("falls back to errors.<code>, then internal_error, or to a form's fallback", () => {
    expect(ko({ code: "last_admin", status: 409 })).toBe(koErrors.last_admin);
    expect(en({ code: "rate_limited", status: 429 })).toBe(enErrors.rate_limited);
    expect(ko({ code: "no_such_code", status: 500 })).toBe(koErrors.internal_error);
    expect(en({ code: "no_such_code", status: 500 })).toBe(enErrors.internal_error);
    expect(en({ code: "forbidden", status: 403 }, { fallback: "Could not do it." })).toBe("Could not do it.");
    // A form's own reading comes first; undefined leaves the usual one.
    expect(en({ code: "forbidden", status: 403 }, { own: () => "Mine" })).toBe("Mine");
    expect(en({ code: "forbidden", status: 403 }, { own: () => undefined })).toBe(enErrors.forbidden);
  });
});

describe("fieldErrors", () => {
  const failure = {
    details: [
      { path: "email", message: "이메일 형식이 아닙니다." },
      { path: "email", message: "second issue of the same field" },
      { path: "lines.0.qty", message: "0보다 커야 합니다.", code: "too_small" },
      { path: "", message: "whole body" },
      "not a detail",
    ],
  };

  it("keys 422 details by their first path segment, the first detail of a field winning, with the API's message", () => {
    expect(fieldErrors(failure)).toEqual({ email: "이메일 형식이 아닙니다.", lines: "0보다 커야 합니다." });
  });

  it("lets a form word its fields itself, and skip a field by answering undefined", () => {
    const seen: string[] = [];
    const out = fieldErrors(failure, (field, d) => {
      seen.push(`${field}:${d.path}:${d.code ?? ""}`);
      return field === "lines" ? undefined : `bad ${field}`;
    });
    expect(out).toEqual({ email: "bad email" });
    expect(seen).toEqual(["email:email:", "lines:lines.0.qty:too_small"]);
  });

  it("has nothing for a failure without a details list", () => {
    expect(fieldErrors({ details: { sku: "X", on_hand: 3 } })).toEqual({});
    expect(fieldErrors({})).toEqual({});
  });
});
