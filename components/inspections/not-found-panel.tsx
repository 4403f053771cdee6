import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/states";

/** The body of a not-found page inside an area: what is missing and the way back. */
export function NotFoundPanel({ message, backHref, backLabel }: { message: string; backHref: string; backLabel: string }) {
  return (
    <div data-testid="not-found">
      <h1 className="sr-only">{message}</h1>
      <EmptyState message={message}>
        <LinkButton href={backHref}>{backLabel}</LinkButton>
      </EmptyState>
    </div>
  );
}
