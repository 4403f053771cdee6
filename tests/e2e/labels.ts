/**
 * A form label's exact text, with or without the required-field mark (`*`) that follows it:
 * getByLabel matches the label's text, which includes the mark.
 */
export function labelled(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*\\*?$`);
}
