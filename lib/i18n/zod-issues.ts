import type { z } from "zod";
import en from "@/messages/en/common.json";
import ko from "@/messages/ko/common.json";
import zh from "@/messages/zh/common.json";
import type { Locale } from "./locales";

// Validation messages in the user's language. The zod schemas are shared by the API, the forms
// and the tests, and their own messages are English (what an API client without a language
// reads); for a signed-in user the API answers each issue with the catalogue's message for its
// kind (messages/*/common.json, "validation"), so a form that shows the API's field messages
// shows them in the user's language, never zod's raw text ("Invalid option: expected one of …").

type Key = keyof typeof en.validation;
const CATALOGUE: Record<Locale, Record<Key, string>> = { ko: ko.validation, zh: zh.validation, en: en.validation };

/** The schemas' own English refinements, by the rule they state. */
const CUSTOM: Record<string, [Key, Record<string, number>?]> = {
  "At most 3 decimals": ["decimals", { max: 3 }],
  "At most 2 decimals": ["decimals", { max: 2 }],
  "At most 72 bytes": ["tooLongBytes", { max: 72 }],
  "Too large": ["max", { max: 1_000_000_000 }],
  "Must be above zero": ["positive"],
  "Must not be zero": ["nonZero"],
  "Each item may appear only once": ["duplicateItem"],
  "Must differ from from_location_id": ["sameLocation"],
  "A customer user needs a customer company": ["customerRequired"],
  "Only customer users belong to a customer company": ["customerOnly"],
  "Nothing to update": ["nothingToUpdate"],
};

const fill = (text: string, values: Record<string, number> = {}) => text.replace(/\{(\w+)\}/g, (whole, k: string) => (k in values ? String(values[k]) : whole));

type Issue = z.core.$ZodIssue & { input?: unknown };

/** Which catalogue message an issue gets, with its values. */
function keyOf(issue: Issue): [Key, Record<string, number>?] {
  const empty = issue.input === undefined || issue.input === null || (typeof issue.input === "string" && issue.input.trim() === "");
  switch (issue.code) {
    case "invalid_type":
      if (empty) return ["required"];
      if (issue.expected === "number" || issue.expected === "bigint") return ["number"];
      if (issue.expected === "int") return ["integer"];
      return ["invalid"];
    case "invalid_value":
      return empty ? ["required"] : ["choose"];
    case "invalid_format":
      if (empty) return ["required"];
      if (issue.format === "email") return ["email"];
      if (issue.format === "date" || issue.format === "datetime") return ["date"];
      if (issue.format === "uuid" || issue.format === "guid") return ["id"];
      return ["format"];
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return min <= 1 ? ["required"] : ["tooShort", { min }];
      if (issue.origin === "array" || issue.origin === "set") return ["atLeastOne"];
      if (issue.origin === "number" && min === 0 && !issue.inclusive) return ["positive"];
      return ["min", { min }];
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return ["tooLong", { max }];
      if (issue.origin === "array" || issue.origin === "set") return ["tooMany", { max }];
      return ["max", { max }];
    }
    case "not_multiple_of":
      return ["number"];
    case "custom":
      return CUSTOM[issue.message] ?? ["invalid"];
    default:
      return ["invalid"];
  }
}

/** One issue's message in a language. */
export function issueText(issue: Issue, locale: Locale): string {
  const [key, values] = keyOf(issue);
  return fill(CATALOGUE[locale][key], values);
}

/** `[{path, message}]` for an API error's details, in the user's language (English: the schema's own words). */
export function issueDetails(error: z.ZodError, locale: Locale | undefined): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join("."), message: locale && locale !== "en" ? issueText(i as Issue, locale) : i.message }));
}
