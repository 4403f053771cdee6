import { describe, expect, it } from "vitest";
import { barRuns, code128Checksum, CODE128_MAX_LENGTH, encodeCode128 } from "@/lib/barcode/code128";

// The encoder against published encodings: ISO/IEC 15417 Figure 1 ("AIM") and the module
// strings zint's test suite lists for "1234567890" in code sets B and C; the checksums worked by
// hand from the standard's rule; and the shape every symbol must have.

const AIM = "11010010000101000110001100010001010111011000101110110001100011101011";
const DIGITS_B =
  "1101001000010011100110110011100101100101110011001001110110111001001100111010011101101110111010011001110010110010011101100101000110001100011101011";
const DIGITS_C = "110100111001011001110010001011000111000101101100001010011011110110100111100101100011101011";

describe("encodeCode128", () => {
  it("encodes AIM as ISO/IEC 15417 Figure 1 shows it (Start B, A I M, checksum 45, Stop)", () => {
    const code = encodeCode128("AIM");
    // 104 + 33×1 + 41×2 + 45×3 = 354; 354 mod 103 = 45.
    expect(code.values).toEqual([104, 33, 41, 45, 45, 106]);
    expect(code.modules).toBe(AIM);
  });

  it("encodes an even run of digits in code set C, as pairs", () => {
    const code = encodeCode128("1234567890");
    // 105 + 12×1 + 34×2 + 56×3 + 78×4 + 90×5 = 1115; 1115 mod 103 = 85.
    expect(code.values).toEqual([105, 12, 34, 56, 78, 90, 85, 106]);
    expect(code.modules).toBe(DIGITS_C);
  });

  it("encodes the same digits in set B when asked, as published (checksum 33)", () => {
    const code = encodeCode128("1234567890", "B");
    // 104 + 17×1 + 18×2 + … + 25×9 + 16×10 = 1269; 1269 mod 103 = 33.
    expect(code.values).toEqual([104, 17, 18, 19, 20, 21, 22, 23, 24, 25, 16, 33, 106]);
    expect(code128Checksum(code.values.slice(0, 11))).toBe(33);
    expect(code.modules).toBe(DIGITS_B);
  });

  it("encodes a flow number in set B with its checksum", () => {
    const code = encodeCode128("OUT-2026-000001");
    const data = "OUT-2026-000001".split("").map((c) => c.charCodeAt(0) - 32);
    // O=47 U=53 T=52 -=13 2=18 0=16 2=18 6=22 -=13 0=16 0=16 0=16 0=16 0=16 1=17
    expect(data).toEqual([47, 53, 52, 13, 18, 16, 18, 22, 13, 16, 16, 16, 16, 16, 17]);
    // 104 + 47×1 + 53×2 + 52×3 + 13×4 + 18×5 + 16×6 + 18×7 + 22×8 + 13×9 + 16×(10+…+14) + 17×15
    // = 2285; 2285 mod 103 = 19.
    expect(code.values).toEqual([104, ...data, 19, 106]);
    // Start, 15 characters and the checksum at 11 modules each, the stop at 13.
    expect(code.modules).toHaveLength(17 * 11 + 13);
  });

  it("a different number gives a different checksum and symbol", () => {
    const a = encodeCode128("OUT-2026-000001");
    const b = encodeCode128("OUT-2026-000002");
    expect(a.values.at(-2)).not.toBe(b.values.at(-2));
    expect(a.modules).not.toBe(b.modules);
  });

  it("uses set B for an odd number of digits and for mixed text", () => {
    expect(encodeCode128("123").values[0]).toBe(104);
    expect(encodeCode128("IN-1").values[0]).toBe(104);
    expect(encodeCode128("12").values[0]).toBe(105);
  });

  it("every symbol starts with a bar, ends with the stop pattern, and each character is 11 modules with 3 bars", () => {
    for (const text of ["A", "TRF-2026-000123", "ADJ-2026-999999", "~ !", "00"]) {
      const { values, modules } = encodeCode128(text);
      expect(modules.startsWith("11010")).toBe(true);
      expect(modules.endsWith("1100011101011")).toBe(true);
      expect(modules).toHaveLength((values.length - 1) * 11 + 13);
      for (let i = 0; i < values.length - 1; i++) {
        const symbol = modules.slice(i * 11, i * 11 + 11);
        expect(symbol[0]).toBe("1");
        expect(symbol[10]).toBe("0");
        expect(barRuns(symbol)).toHaveLength(3);
      }
    }
  });

  it("refuses what it cannot encode: empty, too long, control or non-ASCII characters", () => {
    expect(() => encodeCode128("")).toThrow(RangeError);
    expect(() => encodeCode128("A".repeat(CODE128_MAX_LENGTH + 1))).toThrow(RangeError);
    expect(() => encodeCode128("A".repeat(CODE128_MAX_LENGTH))).not.toThrow();
    expect(() => encodeCode128("출고-1")).toThrow(RangeError);
    expect(() => encodeCode128("A\tB")).toThrow(RangeError);
    expect(() => encodeCode128("A\u007fB")).toThrow(RangeError);
  });
});

describe("barRuns", () => {
  it("gives each bar's start and width in modules", () => {
    expect(barRuns("1101001")).toEqual([
      { x: 0, width: 2 },
      { x: 3, width: 1 },
      { x: 6, width: 1 },
    ]);
    expect(barRuns("000")).toEqual([]);
  });
});
