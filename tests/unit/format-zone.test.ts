import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDateTimeBare } from "@/lib/format";

// Times are Korea's (the company's business day) and say so, in each language: staff in Yiwu,
// an hour behind, read "KST" or "韩国时间" next to every time and never take it for their own.

const AT = "2026-12-04T15:30:00Z"; // 00:30 on 5 December in Seoul, 23:30 on 4 December in Yiwu

describe("dates and times in Korea's time zone, with the zone named", () => {
  it("a time carries its zone in the reader's language", () => {
    expect(formatDateTime(AT, "ko")).toMatch(/^2026\. 12\. 05\. 00:30 KST$/);
    expect(formatDateTime(AT, "zh")).toBe("2026/12/05 00:30（韩国时间）");
    expect(formatDateTime(AT, "en")).toMatch(/^12\/05\/2026, 00:30 KST$/);
  });

  it("is Seoul's wall time, not the server's or Shanghai's", () => {
    expect(formatDateTime(AT, "zh")).not.toContain("23:30");
    expect(formatDate(AT, "zh")).toBe("2026/12/05");
  });

  it("the bare form leaves the zone to a header that says it once", () => {
    expect(formatDateTimeBare(AT, "zh")).toBe("2026/12/05 00:30");
    expect(formatDateTimeBare(AT, "ko")).not.toContain("KST");
  });
});
