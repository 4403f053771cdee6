/**
 * Vercel Analytics and Speed Insights: page URLs without their query and fragment, which hold
 * search terms (a customer's name or email typed into a filter) and, after some sign-in flows,
 * tokens. The path identifies the page, and ids in it are record ids.
 */
export function urlWithoutQuery<E extends { url: string }>(event: E): E {
  const cut = event.url.search(/[?#]/);
  return cut === -1 ? event : { ...event, url: event.url.slice(0, cut) };
}
