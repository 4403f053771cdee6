import { useTranslations } from "next-intl";
import { LoadingOutline, Skeleton } from "@/components/ui/states";

// Loading outlines of the inspection, customer and portal pages, in the shape of what replaces them.

function Busy({ children }: { children: React.ReactNode }) {
  const t = useTranslations("common");
  return <LoadingOutline label={t("table.loading")}>{children}</LoadingOutline>;
}

export function ListSkeleton() {
  return (
    <Busy>
      <Skeleton height={36} className="mb-6 w-48" />
      <Skeleton height={40} className="mb-4" />
      <Skeleton height={420} />
    </Busy>
  );
}

export function DetailSkeleton() {
  return (
    <Busy>
      <Skeleton height={20} className="mb-2 w-24" />
      <Skeleton height={36} className="mb-6 w-72" />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Skeleton height={120} />
          <Skeleton height={320} />
        </div>
        <Skeleton height={320} />
      </div>
    </Busy>
  );
}
