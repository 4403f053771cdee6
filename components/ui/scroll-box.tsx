/**
 * A box that scrolls sideways when its table is wider than the screen (a phone), so the page
 * itself never does. It takes keyboard focus and is named by `label`, so a keyboard user can
 * scroll it too (arrow keys) even when nothing inside is focusable.
 */
export function ScrollBox({ label, className = "", children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`overflow-x-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/50 ${className}`}>
      {children}
    </div>
  );
}
